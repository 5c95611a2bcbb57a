using SpeechStream.Engine.Transcripts;

namespace SpeechStream.Engine.Jobs;

/// <summary>
/// Merges the finals of several concurrent sessions over the same audio (the two channels of a call) into one
/// stream in time order. A final is held until every other running session has produced a final that starts no
/// earlier, or has ended, so an earlier turn on the other channel can still come first; a final is never held
/// longer than <c>maxHold</c> of wall time, so a silent channel cannot stall the output. Partial results pass
/// straight through. The sink is called under a lock, one result at a time.
/// </summary>
internal sealed class TimeOrderedMerger : IDisposable
{
    private readonly Action<Transcript> _sink;
    private readonly TimeSpan _maxHold;
    private readonly object _gate = new();
    private readonly double[] _latestStart;
    private readonly bool[] _ended;
    private readonly List<(int Stream, Transcript T, DateTime HeldAt, long Order)> _held = new();
    private readonly Timer _timer;
    private long _order;

    /// <param name="streams">How many sessions feed the merger (indexed from 0).</param>
    /// <param name="sink">Receives results in order.</param>
    /// <param name="maxHold">Longest a final waits for the other sessions (default 5 s).</param>
    public TimeOrderedMerger(int streams, Action<Transcript> sink, TimeSpan? maxHold = null)
    {
        _sink = sink;
        _maxHold = maxHold ?? TimeSpan.FromSeconds(5);
        _latestStart = Enumerable.Repeat(double.NegativeInfinity, streams).ToArray();
        _ended = new bool[streams];
        _timer = new Timer(_ => { lock (_gate) Release(); }, null, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(250));
    }

    /// <summary>Adds a result from session <paramref name="stream"/>.</summary>
    public void Add(int stream, Transcript t)
    {
        lock (_gate)
        {
            if (!t.IsFinal)
            {
                _sink(t);
                return;
            }
            if (t.Start is double s && s > _latestStart[stream]) _latestStart[stream] = s;
            _held.Add((stream, t, DateTime.UtcNow, _order++));
            Release();
        }
    }

    /// <summary>Session <paramref name="stream"/> has ended: it holds nothing back any more.</summary>
    public void Complete(int stream)
    {
        lock (_gate)
        {
            _ended[stream] = true;
            Release();
        }
    }

    /// <summary>Releases everything still held, in order.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            for (int i = 0; i < _ended.Length; i++) _ended[i] = true;
            Release();
        }
    }

    private void Release()
    {
        while (_held.Count > 0)
        {
            var next = _held.OrderBy(h => h.T.Start ?? double.NegativeInfinity).ThenBy(h => h.Order).First();
            double start = next.T.Start ?? double.NegativeInfinity;
            bool othersPassed = true;
            for (int j = 0; j < _ended.Length && othersPassed; j++)
                if (j != next.Stream && !_ended[j] && _latestStart[j] < start) othersPassed = false;
            if (!othersPassed && DateTime.UtcNow - next.HeldAt < _maxHold) return;
            _held.Remove(next);
            _sink(next.T);
        }
    }

    public void Dispose() => _timer.Dispose();
}
