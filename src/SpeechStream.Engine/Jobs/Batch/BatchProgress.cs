namespace SpeechStream.Engine.Jobs.Batch;

/// <summary>A batch's progress: inputs done (skipped included) of the total, audio seconds sent (of inputs done and
/// running), the rate in audio seconds per second, and the time left, estimated from the share of inputs done.</summary>
public sealed record BatchProgress(int FilesTotal, int FilesDone, int FilesSkipped, int FilesRunning, double AudioSeconds,
    TimeSpan Elapsed, TimeSpan? Remaining)
{
    /// <summary>Audio seconds per wall-clock second (16 = 16× real time).</summary>
    public double Rate => Elapsed.TotalSeconds > 0 ? AudioSeconds / Elapsed.TotalSeconds : 0;
}
