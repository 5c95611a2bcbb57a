using System.Diagnostics;
using System.Threading.Tasks.Sources;

namespace SpeechStream.Engine.Jobs;

/// <summary>
/// One clock for every paced stream in the process: a background thread wakes every <see cref="Tick"/> while anyone
/// waits and releases every chunk then due, instead of one timer per chunk per session (10,000 timer wake-ups a second
/// for 1,000 real-time sessions, most of the CPU spent switching threads). A chunk leaves at most one tick late; the
/// released streams continue on the thread pool (run on the clock's one thread they made it the bottleneck).
/// </summary>
internal static class PacingClock
{
    /// <summary>How often the clock looks for due chunks.</summary>
    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(4);


    private static readonly object Gate = new();
    private static readonly PriorityQueue<(PacedWait Wait, int Generation), long> Waiting = new();
    private static readonly AutoResetEvent Wake = new(false);
    private static Thread? _thread;
    private static bool _idle = true; // under Gate: the thread sleeps until woken

    internal static void Enqueue(PacedWait wait, int generation, long due)
    {
        bool wake;
        lock (Gate)
        {
            Waiting.Enqueue((wait, generation), due);
            if (_thread is null)
            {
                _thread = new Thread(Run) { IsBackground = true, Name = "SpeechStream pacing clock" };
                _thread.Start();
            }
            wake = _idle;
            _idle = false;
        }
        if (wake) Wake.Set(); // busy, it looks every tick anyway
    }

    private static void Run()
    {
        long tick = (long)(Tick.TotalSeconds * Stopwatch.Frequency);
        var due = new List<(PacedWait Wait, int Generation)>();
        while (true)
        {
            long now = Stopwatch.GetTimestamp(), next = long.MaxValue;
            lock (Gate)
            {
                // Release what is due by the middle of the next tick: on average on time.
                while (Waiting.TryPeek(out var w, out long at) && at <= now + tick / 2)
                {
                    Waiting.Dequeue();
                    due.Add(w);
                }
                if (Waiting.TryPeek(out _, out long first)) next = first;
                else _idle = true;
            }
            foreach (var (w, generation) in due) w.Release(generation, null);
            due.Clear();
            if (next == long.MaxValue) Wake.WaitOne();
            else Thread.Sleep(TimeSpan.FromTicks(Math.Max(Tick.Ticks, (next - Stopwatch.GetTimestamp() - tick / 2) * TimeSpan.TicksPerSecond / Stopwatch.Frequency)));
        }
    }
}

/// <summary>A paced stream's wait on the <see cref="PacingClock"/>, reused for every chunk (one wait at a time), so a
/// real-time session allocates nothing per chunk to wait.</summary>
internal sealed class PacedWait : IValueTaskSource
{
    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };
    private CancellationTokenRegistration _registration;
    private int _generation, _pending;

    /// <summary>Completes when <see cref="Stopwatch.GetTimestamp"/> reaches <paramref name="due"/> (within a tick).</summary>
    public ValueTask WaitUntilAsync(long due, CancellationToken ct)
    {
        if (ct.IsCancellationRequested) return ValueTask.FromCanceled(ct);
        _core.Reset();
        int generation = ++_generation;
        Volatile.Write(ref _pending, 1);
        if (ct.CanBeCanceled)
            _registration = ct.UnsafeRegister(static (state, token) =>
            {
                var (wait, gen) = ((PacedWait, int))state!;
                wait.Release(gen, new OperationCanceledException(token));
            }, (this, generation));
        PacingClock.Enqueue(this, generation, due);
        return new ValueTask(this, _core.Version);
    }

    /// <summary>Ends wait <paramref name="generation"/> (a later wait is not touched by a stale entry): due, or cancelled.</summary>
    internal void Release(int generation, Exception? error)
    {
        if (generation != Volatile.Read(ref _generation) || Interlocked.Exchange(ref _pending, 0) != 1) return;
        _registration.Unregister();
        if (error is null) _core.SetResult(true);
        else _core.SetException(error);
    }

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);
    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);
    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
