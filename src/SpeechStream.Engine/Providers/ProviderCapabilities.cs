namespace SpeechStream.Engine.Providers;

/// <summary>What a provider can do, for <c>Get-AsrProvider</c> and for validating requests.</summary>
[Flags]
public enum ProviderCapabilities
{
    /// <summary>Nothing beyond final text.</summary>
    None = 0,
    /// <summary>Sends partial (interim) results before each final.</summary>
    PartialResults = 1,
    /// <summary>Gives each word a start time.</summary>
    WordStartTimes = 2,
    /// <summary>Gives each word an end time.</summary>
    WordEndTimes = 4,
    /// <summary>Gives a confidence per result or word.</summary>
    Confidence = 8,
    /// <summary>Labels speakers.</summary>
    Diarization = 16,
    /// <summary>Reports the language it detected.</summary>
    LanguageDetection = 32,
    /// <summary>Takes a custom vocabulary (keywords) to favour.</summary>
    CustomVocabulary = 64,
}
