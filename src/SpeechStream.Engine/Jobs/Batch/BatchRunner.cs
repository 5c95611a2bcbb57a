using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SpeechStream.Engine.Transcripts;

namespace SpeechStream.Engine.Jobs.Batch;

/// <summary>
/// Runs a <see cref="TranscriptionJob"/> over many inputs, <see cref="Parallel"/> at a time (each with all its
/// providers): the engine job behind <c>speechstream transcribe</c> and <c>Invoke-AsrFile</c>. Results go to one
/// <see cref="Sink"/> as they arrive (whole rows, never interleaved) or, with <see cref="Output"/>, to one file per
/// input, committed atomically when the input is done. Cancelling stops starting inputs, closes the running sessions
/// (their results still arrive) and returns the summary so far, marked cancelled.
/// </summary>
public sealed class BatchRunner
{
    /// <summary>The job run on each input (providers, session settings, speed …).</summary>
    public required TranscriptionJob Job { get; init; }

    /// <summary>Inputs run at once (≥ 1).</summary>
    public int Parallel { get; init; } = 1;

    /// <summary>One output file per input; null: every result to <see cref="Sink"/>.</summary>
    public OutputFolder? Output { get; init; }

    /// <summary>With <see cref="Output"/>: skip inputs whose whole transcript is already there.</summary>
    public bool SkipExisting { get; init; }

    /// <summary>Receives every result when there is no <see cref="Output"/>; called from several threads, one call at a
    /// time per input: it must be thread-safe (<see cref="Transcripts.Formats.TranscriptWriter.Write"/> is).</summary>
    public Action<Transcript>? Sink { get; init; }

    /// <summary>The batch's progress, about 4 times a second and when an input ends.</summary>
    public Action<BatchProgress>? OnProgress { get; init; }

    /// <summary>Each running input's progress (audio sent of its first session).</summary>
    public Action<JobProgress>? OnFileProgress { get; init; }

    /// <summary>Each input as it ends (skipped ones included), from the thread that ran it.</summary>
    public Action<BatchFileResult>? OnFileDone { get; init; }

    /// <exception cref="AsrException">InvalidInput: settings no provider accepts (every input would fail the same way),
    /// an output folder that cannot be made, or two inputs whose outputs would have the same name.</exception>
    public async Task<BatchSummary> RunAsync(IReadOnlyList<string> inputs, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        var lf = loggerFactory ?? NullLoggerFactory.Instance;
        if (Output is not null) { OutputFolder.CheckUnique(inputs); Output.Prepare(); }
        var tracker = new BatchTracker(inputs.Count);
        var results = new ConcurrentBag<BatchFileResult>();
        using var ticking = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var ticker = OnProgress is null ? Task.CompletedTask : TickAsync(tracker, ticking.Token);
        bool cancelled = false;
        try
        {
            await System.Threading.Tasks.Parallel.ForEachAsync(inputs,
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Parallel), CancellationToken = cancellationToken },
                async (input, ct) =>
                {
                    var result = await RunOneAsync(input, tracker, lf, ct).ConfigureAwait(false);
                    results.Add(result);
                    tracker.Done(input, result);
                    OnFileDone?.Invoke(result);
                    OnProgress?.Invoke(tracker.Snapshot());
                }).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { cancelled = true; }
        finally
        {
            ticking.Cancel();
            await ticker.ConfigureAwait(false);
        }
        return BatchSummary.Of(results.ToList(), inputs.Count, tracker.Elapsed, cancelled);
    }

    private async Task<BatchFileResult> RunOneAsync(string input, BatchTracker tracker, ILoggerFactory lf, CancellationToken ct)
    {
        if (Output is not null && SkipExisting && Output.IsDone(input))
        {
            lf.CreateLogger<BatchRunner>().LogInformation("Skipping {Input}: {Output} is there.", input, Output.CompletePath(input));
            return new BatchFileResult(input, null, Output.CompletePath(input), 0, 0);
        }
        tracker.Started(input);
        Action<JobProgress> progress = p => { tracker.Progress(p); OnFileProgress?.Invoke(p); };
        int rows = 0;
        if (Output is null)
        {
            var outcome = await Job.RunFileAsync(input, t => { rows++; Sink?.Invoke(t); }, progress, lf, ct).ConfigureAwait(false);
            return new BatchFileResult(input, outcome, null, rows, AudioOf(outcome));
        }
        using var file = Output.Begin(input, Job.Providers.Count > 1);
        try
        {
            var outcome = await Job.RunFileAsync(input, file.Writer.Write, progress, lf, ct).ConfigureAwait(false);
            string path = file.Commit(outcome.Verdict == Verdict.Whole);
            return new BatchFileResult(input, outcome, path, file.Writer.Rows, AudioOf(outcome));
        }
        catch (OperationCanceledException)
        {
            if (file.Writer.Rows > 0) file.Commit(whole: false); // the rows that arrived are kept, named incomplete
            throw;
        }
    }

    private static double AudioOf(FileOutcome o) =>
        o.Providers.Select(p => p.Summary?.AudioSentSeconds ?? 0).DefaultIfEmpty(0).Max();

    private async Task TickAsync(BatchTracker tracker, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false)) OnProgress!(tracker.Snapshot());
        }
        catch (OperationCanceledException) { }
    }
}
