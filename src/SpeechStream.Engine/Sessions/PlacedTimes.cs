namespace SpeechStream.Engine.Sessions;

/// <summary>A result's place on the file's timeline, in seconds from the start of the file.</summary>
/// <param name="Start">Its start: the provider's plus the connection's offset, or an estimate (see
/// <see cref="ResultTimes.Place"/>), or null.</param>
/// <param name="End">Its end, likewise.</param>
/// <param name="LastWordStart">The start of its last word with a start, on the file's timeline.</param>
/// <param name="HasTimes">The provider sends times and this result carries some.</param>
/// <param name="EstimatedSeconds">How far a recogniser can have heard when the result came: the audio sent, bounded
/// by real time since the connection's first audio.</param>
internal readonly record struct PlacedTimes(double? Start, double? End, double? LastWordStart, bool HasTimes, double EstimatedSeconds)
{
    /// <summary>Start and end were estimated from the audio sent (the provider sent none).</summary>
    public bool TimesEstimated => !HasTimes && Start is not null;
}
