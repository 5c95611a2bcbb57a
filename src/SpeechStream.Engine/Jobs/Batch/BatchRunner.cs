using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SpeechStream.Engine.Transcripts;

namespace SpeechStream.Engine.Jobs.Batch;

/// <summary>How one input of a batch went: its outcome (null when skipped), where its output went, its rows and the
/// seconds of audio sent.</summary>
public sealed record BatchFileResult(string Input, FileOutcome? Outcome, string? OutputPath, int Rows, double AudioSeconds)
{
    public bool Skipped => Outcome is null;
    public Verdict Verdict => Outcome?.Verdict ?? Verdict.Whole;
}

/// <summary>
/// Runs a <see cref="TranscriptionJob"/> over many inputs, <see cref="Parallel"/> at a time (each with all its
/// providers): the engine job behind <c>speechstream transcribe</c> and <c>Invoke-AsrFile</c>. Results go to one
/// <see cref="Sink"/> as they arrive (whole rows, never interleaved) or, with <see cref="Output"/>, to one file per
/// input, committed atomically when the input is done. Cancelling stops starting inputs, closes the running sessions
/// (their results still arrive) and returns the summary so far, marked cancelled.
/// </summary>
public sealed class BatchRunner
{
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

/// <summary>A batch's progress: inputs done (skipped included) of the total, audio seconds sent (of inputs done and
/// running), the rate in audio seconds per second, and the time left, estimated from the share of inputs done.</summary>
public sealed record BatchProgress(int FilesTotal, int FilesDone, int FilesSkipped, int FilesRunning, double AudioSeconds,
    TimeSpan Elapsed, TimeSpan? Remaining)
{
    /// <summary>Audio seconds per wall-clock second (16 = 16× real time).</summary>
    public double Rate => Elapsed.TotalSeconds > 0 ? AudioSeconds / Elapsed.TotalSeconds : 0;
}

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

/// <summary>The end of a batch: inputs by verdict, audio, time, rows.</summary>
public sealed record BatchSummary(int Files, int Whole, int Incomplete, int Failed, int Skipped, int NotRun, double AudioSeconds,
    TimeSpan Elapsed, int Rows, bool Cancelled, Verdict Verdict)
{
    /// <summary>Processing time over audio time (0.05 = 20× faster than real time); null without audio.</summary>
    public double? RealTimeFactor => AudioSeconds > 0 ? Elapsed.TotalSeconds / AudioSeconds : null;

    internal static BatchSummary Of(IReadOnlyList<BatchFileResult> results, int total, TimeSpan elapsed, bool cancelled)
    {
        int skipped = results.Count(r => r.Skipped);
        int whole = results.Count(r => !r.Skipped && r.Verdict == Verdict.Whole);
        int incomplete = results.Count(r => r.Verdict == Verdict.Incomplete);
        int failed = results.Count(r => r.Verdict > Verdict.Incomplete && r.Verdict != Verdict.Cancelled);
        var verdict = Verdicts.Worst(results.Select(r => r.Verdict).Append(cancelled ? Verdict.Cancelled : Verdict.Whole));
        return new BatchSummary(total, whole, incomplete, failed, skipped, total - results.Count, results.Sum(r => r.AudioSeconds),
            elapsed, results.Sum(r => r.Rows), cancelled, verdict);
    }

    /// <summary>One line: "12 files: 10 whole, 1 incomplete, 1 failed, 0 skipped; 1.20 h of audio in 5 min 3 s
    /// (real-time factor 0.070, 14.3x real time); 1234 rows".</summary>
    public string Describe(IFormatProvider? culture = null)
    {
        var c = culture ?? System.Globalization.CultureInfo.InvariantCulture;
        string audio = AudioSeconds >= 3600 ? string.Format(c, "{0:0.00} h", AudioSeconds / 3600) : Duration(TimeSpan.FromSeconds(AudioSeconds));
        string speed = RealTimeFactor is double f ? string.Format(c, " (real-time factor {0:0.000}, {1:0.0}x real time)", f, 1 / f) : "";
        return string.Format(c, "{0} file(s): {1} whole, {2} incomplete, {3} failed, {4} skipped{5}; {6} of audio in {7}{8}; {9} row(s){10}",
            Files, Whole, Incomplete, Failed, Skipped, NotRun > 0 ? $", {NotRun} not run" : "", audio, Duration(Elapsed), speed,
            Rows, Cancelled ? "; cancelled" : "");
    }

    /// <summary>"2 h 03 min", "5 min 03 s", "4.2 s".</summary>
    public static string Duration(TimeSpan t) =>
        t.TotalHours >= 1 ? $"{(int)t.TotalHours} h {t.Minutes:00} min"
        : t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes} min {t.Seconds:00} s"
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{t.TotalSeconds:0.0} s");
}
