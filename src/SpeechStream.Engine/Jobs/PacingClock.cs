using System.Diagnostics;

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
