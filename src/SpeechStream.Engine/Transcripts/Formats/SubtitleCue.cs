namespace SpeechStream.Engine.Transcripts.Formats;

/// <summary>One subtitle cue: times in seconds from the start of the file, its lines, who speaks (null in a mix), and
/// whether its result is one the provider never confirmed (<see cref="Transcript.Unconfirmed"/>: the writers mark it
/// "(unconfirmed)", as the text format does).</summary>
internal sealed record SubtitleCue(double Start, double End, IReadOnlyList<string> Lines, string? Label, bool Unconfirmed = false)
{
    /// <summary>The mark before the first line of an unconfirmed cue.</summary>
    public const string UnconfirmedMark = "(unconfirmed) ";
}
