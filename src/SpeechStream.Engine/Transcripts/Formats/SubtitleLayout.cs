namespace SpeechStream.Engine.Transcripts.Formats;

/// <summary>
/// How cues are cut. The defaults are common broadcast practice (Netflix, BBC and EBU guidelines): at most 2 lines of
/// 42 characters, at most 7 seconds on screen; speech runs about 15 characters a second, which dates the end of a
/// result that has none.
/// </summary>
public sealed record SubtitleLayout
{
    /// <summary>Characters per line.</summary>
    public int MaxLineLength { get; init; } = 42;
    /// <summary>Lines per cue.</summary>
    public int MaxLines { get; init; } = 2;
    /// <summary>Seconds.</summary>
    public double MaxCueSeconds { get; init; } = 7;
    /// <summary>Characters of speech per second, for results without an end time.</summary>
    public double CharactersPerSecond { get; init; } = 15;

    /// <summary>42 characters, 2 lines, 7 s, 15 characters a second.</summary>
    public static readonly SubtitleLayout Default = new();
}
