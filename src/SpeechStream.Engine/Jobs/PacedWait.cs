using System.Diagnostics;
using System.Threading.Tasks.Sources;

namespace SpeechStream.Engine.Jobs;

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
