using System.Diagnostics;

namespace SpeechStream.Engine.Jobs.Batch;

/// <summary>Counts for <see cref="BatchProgress"/>; thread-safe.</summary>
internal sealed class BatchTracker
{
    private readonly object _gate = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Dictionary<string, JobProgress?> _running = new();
    private readonly int _total;
    private int _done, _skipped;
    private double _audioDone;

    public BatchTracker(int total) => _total = total;

    public TimeSpan Elapsed => _clock.Elapsed;

    public void Started(string input) { lock (_gate) _running[input] = null; }

    public void Progress(JobProgress p) { lock (_gate) if (_running.ContainsKey(p.Source)) _running[p.Source] = p; }

    public void Done(string input, BatchFileResult r)
    {
        lock (_gate)
        {
            _running.Remove(input);
            _done++;
            if (r.Skipped) _skipped++;
            _audioDone += r.AudioSeconds;
        }
    }

    public BatchProgress Snapshot()
    {
        lock (_gate)
        {
            double audio = _audioDone + _running.Values.Sum(p => p?.SecondsSent ?? 0);
            double share = _running.Values.Sum(p => p is { TotalSeconds: > 0 } x ? Math.Min(1, x.SecondsSent / x.TotalSeconds.Value) : 0);
            int work = _total - _skipped;
            double fraction = work > 0 ? (_done - _skipped + share) / work : 1;
            var elapsed = _clock.Elapsed;
            TimeSpan? remaining = fraction > 0.001 && (_done - _skipped) + _running.Count > 0
                ? TimeSpan.FromSeconds(elapsed.TotalSeconds * (1 - fraction) / fraction) : null;
            return new BatchProgress(_total, _done, _skipped, _running.Count, audio, elapsed, remaining);
        }
    }
}
