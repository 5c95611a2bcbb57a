using System.Globalization;
using SpeechStream.Engine.Jobs;
using SpeechStream.Engine.Jobs.Batch;

namespace SpeechStream.Cli;

/// <summary>
/// The progress line of <c>transcribe</c> on a terminal's stderr (<see cref="ConsoleOutput.Progress"/>): for one input,
/// its audio sent of its length; for a batch, inputs done of the total, audio hours, rate and time left:
/// <c>12/40 files · 0.42 h audio · 14.2× real time · 3 min 10 s left</c>.
/// </summary>
internal sealed class ProgressLine(ConsoleOutput console, int inputs, bool quiet)
{
    public void File(JobProgress p)
    {
        if (quiet || inputs != 1) return;
        console.Progress(p.TotalSeconds is double total
            ? string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(p.Source)}: {p.SecondsSent:0.0}/{total:0.0} s ({100 * p.SecondsSent / Math.Max(total, 0.001):0}%)")
            : string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(p.Source)}: {p.SecondsSent:0.0} s"));
    }

    public void Batch(BatchProgress p)
    {
        if (quiet || inputs == 1) return;
        console.Progress(string.Create(CultureInfo.InvariantCulture,
            $"{p.FilesDone}/{p.FilesTotal} files · {p.AudioSeconds / 3600:0.00} h audio · {p.Rate:0.0}x real time · {(p.Remaining is { } r ? BatchSummary.Duration(r) + " left" : "time left unknown")}"));
    }

    public void Clear() => console.Progress("");
}
