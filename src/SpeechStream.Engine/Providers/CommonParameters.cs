namespace SpeechStream.Engine.Providers;

/// <summary>The typed parameters shared by two or more providers (<c>-Model</c>, <c>-WordTimestamps</c>,
/// <c>-Diarize</c>, <c>-Vocabulary</c>). A provider lists the ones it maps; giving another is an error.</summary>
[Flags]
public enum CommonParameters
{
    /// <summary>Maps none of the typed parameters.</summary>
    None = 0,
    /// <summary>Model id (Speechall <c>model</c>, VoxNexus <c>model_id</c>).</summary>
    Model = 1,
    /// <summary>Ask for word start/end times (Smallest <c>word_timestamps</c>, VoxNexus <c>enable_timestamps</c>).</summary>
    WordTimestamps = 2,
    /// <summary>Speaker diarization (Smallest <c>diarize</c>, Speechall <c>diarization</c>).</summary>
    Diarize = 4,
    /// <summary>Custom vocabulary / keywords (Smallest <c>keywords</c>, Speechall <c>custom_vocabulary</c>).</summary>
    Vocabulary = 8,
}
