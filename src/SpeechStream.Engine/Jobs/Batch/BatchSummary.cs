namespace SpeechStream.Engine.Jobs.Batch;

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
