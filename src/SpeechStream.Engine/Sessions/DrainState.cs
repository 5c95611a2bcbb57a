using System.Diagnostics;

namespace SpeechStream.Engine.Sessions;

/// <summary>What a completion policy knows while a connection drains. Times are Stopwatch ticks (<c>…Ticks</c>): now,
/// when the end of stream went out, and when the last result with text came (an empty result, such as the empty
/// partial/final pairs Voxist's engine sends every 0.67 s of silence, is no sign of work). Amounts of audio are seconds:
/// the audio sent that results do not cover yet (the tail), and how much of that tail holds sound rather than silence
/// (<see cref="AudioLedger.VoicedTail"/>). <paramref name="OpenSegments"/>: partial results wait for their final.
/// <paramref name="TailReheard"/>: this connection replayed a stretch a previous close left uncovered, so the server has
/// now heard that sound twice (a close that again leaves it without words means there are none: music, noise).</summary>
internal readonly record struct DrainState(long NowTicks, long EndSentTicks, long LastResultTicks, double TailSeconds, double VoicedTailSeconds,
    bool OpenSegments = false, bool TailReheard = false)
{
    /// <summary>Seconds since the end of stream or the last result, whichever came later.</summary>
    public double QuietSeconds => (NowTicks - Math.Max(EndSentTicks, LastResultTicks)) / (double)Stopwatch.Frequency;
}
