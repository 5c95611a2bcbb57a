using Microsoft.Extensions.Logging;
using SpeechStream.Engine.Providers;
using SpeechStream.Engine.Transcripts;

namespace SpeechStream.Engine.Sessions;

/// <summary>
/// Replay de-duplication: remembers what finals delivered (the last <see cref="HistoryLimit"/> finals' words, with the
/// audio sent when each came, and where the last delivered word started) and, after a replay, removes from the new
/// connection's results what was already delivered, by <see cref="ReplayDeduper"/> (by time, or by text without
/// times). Plain values (times in seconds on the file's timeline); one thread at a time.
/// </summary>
internal sealed class ReplayFilter(ILogger log)
{
    /// <summary>Finals remembered for text de-duplication.</summary>
    public const int HistoryLimit = 256;

    private readonly Queue<(string[] Tokens, double CommitSent)> _history = new();
    private ReplayDeduper? _dedupe;
    /// <summary>When the last delivered word (or timed result without words) started, in file seconds.</summary>
    private double _deliveredStartSeconds;

    /// <summary>True while results of a replay are being filtered.</summary>
    public bool Active => _dedupe is { Active: true };

    /// <summary>A new connection starts: after a replay (<paramref name="generation"/> &gt; 0, chunks resent from
    /// <paramref name="plan"/>'s offset), its results are compared with what was delivered; otherwise none are.</summary>
    public void BeginConnection(int generation, ReplayPlan plan)
    {
        _dedupe = null;
        if (generation == 0 || plan.Chunks.Count == 0) return; // nothing is heard twice
        var overlap = _history.Where(h => h.CommitSent > plan.OffsetSeconds + 1e-9).SelectMany(h => h.Tokens).ToList();
        _dedupe = new ReplayDeduper(_deliveredStartSeconds, overlap);
    }

    /// <summary>A final was delivered: its text, the audio sent when it came (s), and, when it had times, where its
    /// last word (or itself) started (s).</summary>
    public void Delivered(string text, double commitSentSeconds, double? startedSeconds)
    {
        if (startedSeconds is double b && b > _deliveredStartSeconds) _deliveredStartSeconds = b;
        _history.Enqueue((ReplayDeduper.Words(text).Select(ReplayDeduper.Normalise).ToArray(), commitSentSeconds));
        while (_history.Count > HistoryLimit) _history.Dequeue();
    }

    /// <summary>After a replay, the words of a partial result that were already delivered (it may be written as an
    /// Unconfirmed final): null when none is; otherwise <paramref name="r"/> without those words.</summary>
    public ProviderResult? TrimPartial(ProviderResult r, double offsetSeconds)
    {
        if (_dedupe is not { Active: true } d || r.Words.Count == 0) return null;
        var keep = r.Words.Where(w => w.Start is not double s || !d.WasDelivered(s + offsetSeconds)).ToList();
        if (keep.Count == r.Words.Count) return null;
        return r with { Words = keep, Text = string.Join(" ", keep.Select(w => w.Text)), Start = keep.FirstOrDefault()?.Start };
    }

    /// <summary>Applies the replay filter to a final (times on the file's timeline). Null: the whole final was
    /// already delivered; otherwise what is left of it.</summary>
    public FilteredFinal? FilterFinal(FilteredFinal f, bool hasTimes, double? end)
    {
        if (_dedupe is not { Active: true } d) return f;
        if (hasTimes && f.Words.Any(w => w.Start is not null))
        {
            var keep = d.KeepTimed(f.Words);
            if (keep.Count == 0) return null;
            if (keep.Count == f.Words.Count) return f;
            log.LogDebug("Trimmed {Count} replayed word(s) already delivered from: {Text}", f.Words.Count - keep.Count, f.Text);
            return new FilteredFinal(string.Join(" ", keep.Select(w => w.Text)), keep, keep[0].Start);
        }
        if (hasTimes) return d.IsTimedRepeat(f.Start, end) ? null : f;
        var shown = ReplayDeduper.Words(f.Text);
        int delivered = d.DeliveredPrefix(shown.Select(ReplayDeduper.Normalise).ToList());
        if (delivered == 0) return f;
        if (delivered >= shown.Length) return null;
        log.LogDebug("Trimmed {Count} replayed word(s) already delivered from: {Text}", delivered, f.Text);
        return f with { Text = string.Join(" ", shown[delivered..]) };
    }
}
