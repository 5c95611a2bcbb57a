using System.Diagnostics;

namespace SpeechStream.Engine.Sessions;

/// <summary>
/// When each chunk of audio went out (its end on the file's timeline, in seconds, and the Stopwatch ticks of the
/// send), for the latency of results. Plain values; not thread-safe (the <see cref="AudioLedger"/>'s lock guards it).
/// </summary>
internal sealed class SendTimes
{
    /// <summary>Send times this far (s) behind the delivered point are forgotten.</summary>
    public const double ForgetBehindSeconds = 5;

    private readonly List<(double EndSeconds, long Ticks)> _times = new();
    private int _head;

    /// <summary>The audio ending at <paramref name="endSeconds"/> went out at <paramref name="ticks"/>.</summary>
    public void Add(double endSeconds, long ticks) => _times.Add((endSeconds, ticks));

    /// <summary>Forgets send times of audio well behind <paramref name="deliveredSeconds"/> (latency is asked for new
    /// results), keeping the last one.</summary>
    public void ForgetBefore(double deliveredSeconds)
    {
        while (_head < _times.Count - 1 && _times[_head].EndSeconds < deliveredSeconds - ForgetBehindSeconds) _head++;
        if (_head > 1024) { _times.RemoveRange(0, _head); _head = 0; }
    }

    /// <summary>Drops the send times of audio after <paramref name="offsetSeconds"/>: it is about to be replayed, and
    /// the later send times replace the first ones.</summary>
    public void DropAfter(double offsetSeconds)
    {
        for (int i = _times.Count - 1; i >= _head && _times[i].EndSeconds > offsetSeconds + 1e-9; i--) _times.RemoveAt(i);
    }

    /// <summary>Seconds (rounded to the millisecond) from sending the audio that ends at <paramref name="audioEnd"/> (s)
    /// to <paramref name="now"/> (Stopwatch ticks); null when no send reaches that far.</summary>
    public double? LatencySeconds(double audioEnd, long now)
    {
        for (int i = _head; i < _times.Count; i++)
            if (_times[i].EndSeconds >= audioEnd - 1e-6)
                return Math.Round((now - _times[i].Ticks) / (double)Stopwatch.Frequency, 3);
        return null;
    }
}
