namespace SpeechStream.Emulator;

/// <summary>The kinds of text frame a client sends an emulator (<see cref="TextMeaning.Kind"/>).</summary>
internal enum TextKind
{
    /// <summary>Anything else: allowed and ignored, or a violation.</summary>
    Other,

    /// <summary>Audio in a text frame (VoxNexus).</summary>
    Audio,

    /// <summary>The end of stream.</summary>
    EndOfStream,

    /// <summary>A flush that is not the end of stream (Smallest's <c>finalize</c> mid-session).</summary>
    Flush,
}
