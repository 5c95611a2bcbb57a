namespace SpeechStream.Engine.Transcripts.Formats;

/// <summary>
/// How cues are cut. The defaults are common broadcast practice (Netflix, BBC and EBU guidelines): at most 2 lines of
/// 42 characters, at most 7 seconds on screen; speech runs about 15 characters a second, which dates the end of a
/// result that has none.
/// </summary>
public sealed record SubtitleLayout
{
    public int MaxLineLength { get; init; } = 42;
    public int MaxLines { get; init; } = 2;
    /// <summary>Seconds.</summary>
    public double MaxCueSeconds { get; init; } = 7;
    /// <summary>Characters of speech per second, for results without an end time.</summary>
    public double CharactersPerSecond { get; init; } = 15;

    public static readonly SubtitleLayout Default = new();
}
