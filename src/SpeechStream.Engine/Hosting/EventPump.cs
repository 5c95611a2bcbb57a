using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using SpeechStream.Engine.Diagnostics;

namespace SpeechStream.Engine.Hosting;

/// <summary>
/// Carries events from background work to the one thread that may write them (a cmdlet's pipeline thread:
/// WriteObject, WriteVerbose, WriteProgress and WriteError may only be called there). Background code posts;
/// the pipeline thread calls <see cref="Run"/>, which starts the work and dispatches every event on the
/// calling thread until the work ends, then rethrows the work's exception after everything it posted has
/// been dispatched. No PowerShell reference: xunit tests it directly.
/// </summary>
public sealed class EventPump : IDisposable
{
    private readonly BlockingCollection<PumpEvent> _queue = new(new ConcurrentQueue<PumpEvent>());

    /// <summary>Queues an event for the pipeline thread; from any thread. Ignored once the run has ended.</summary>
    public void Post(PumpEventKind kind, object? payload)
    {
        try { _queue.Add(new PumpEvent(kind, payload)); }
        catch (InvalidOperationException) { } // completed: the run has ended, nothing is listening
    }

    /// <summary>Queues an output object (<see cref="PumpEventKind.Output"/>).</summary>
    public void Output(object item) => Post(PumpEventKind.Output, item);

    /// <summary>A logger factory whose lines (already redacted) come out of the pump: Information and
    /// above as Verbose, Warning as Warning, Debug and Trace as Debug.</summary>
    public ILoggerFactory CreateLoggerFactory(LogLevel minimum = LogLevel.Debug) =>
        CallbackLogging.Create((level, category, msg) =>
            Post(level switch
            {
                LogLevel.Trace or LogLevel.Debug => PumpEventKind.Debug,
                LogLevel.Warning => PumpEventKind.Warning,
                _ => PumpEventKind.Verbose,
            }, $"[{category}] {msg}"), minimum);

    /// <summary>Runs <paramref name="work"/> on the thread pool and dispatches its events on this thread
    /// until it ends. Cancelling <paramref name="cancellationToken"/> cancels the work; Run then returns
    /// as soon as the work has stopped (the work must honour the token).</summary>
    /// <exception cref="Exception">Whatever the work threw, after all its events were dispatched.</exception>
    public void Run(Func<CancellationToken, Task> work, Action<PumpEvent> dispatch, CancellationToken cancellationToken)
    {
        var task = Task.Run(() => work(cancellationToken), CancellationToken.None);
        task.ContinueWith(_ => _queue.CompleteAdding(), TaskScheduler.Default);
        foreach (var e in _queue.GetConsumingEnumerable())
            dispatch(e);
        task.GetAwaiter().GetResult();
    }

    /// <summary>Releases the queue.</summary>
    public void Dispose() => _queue.Dispose();
}
