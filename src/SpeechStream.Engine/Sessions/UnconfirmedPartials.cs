using SpeechStream.Engine.Providers;
using SpeechStream.Engine.Transcripts;

namespace SpeechStream.Engine.Sessions;

/// <summary>
/// Which open segments' last partials are written as finals marked Unconfirmed when a session ends without their finals.
/// The guarantee: text the server sent for audio that no confirmed final covers is never dropped in silence. Within it,
/// a partial is <b>superseded</b>, and not written, when
/// <list type="number">
/// <item>confirmed finals cover its audio: one stretch of finals (joined across pauses under
/// <see cref="FinalsJoinGap"/>) holds its whole time range (start to reach); the provider has confirmed that audio's
/// text, and the partial was only an earlier hypothesis of it (a flood of partials over audio a final then covers
/// writes no row at all); or</item>
/// <item>a partial that arrived after it, of the same speaker, spans its whole time range: the later hypothesis of the
/// same audio replaces it, as partials replace one another within a segment (100,000 partials opening new segments
/// over the same second are one row, not 256).</item>
/// </list>
/// A partial without an end or word times from the provider is always written: nothing says how far its text runs. Open segments
/// discarded by the cap (<see cref="ResultAssembler.MaxOpenSegments"/>) are held to the same rule: their time ranges
/// are kept (merged), and the cap counts as a loss only when one of them is covered neither by finals nor by a row
/// written here (or had no times).
/// </summary>
internal static class UnconfirmedPartials
{
    /// <summary>Finals this close together (s) count as one stretch: the pause between two sentences is not text lost.</summary>
    public const double FinalsJoinGap = 0.5;

    /// <summary>The partials to write, in segment order; <paramref name="superseded"/> counts the others.</summary>
    public static List<OpenPartial> Select(IEnumerable<OpenPartial> open, TimeCoverage finals, out int superseded)
    {
        var byArrival = open.OrderBy(p => p.Arrival).ToList();
        var keep = new List<OpenPartial>();
        for (int i = 0; i < byArrival.Count; i++)
        {
            var p = byArrival[i];
            if (p.Start is not double s || p.Reach is not double r) { keep.Add(p); continue; }
            if (finals.Covers(s, r)) continue;
            bool replaced = false;
            for (int j = i + 1; j < byArrival.Count && !replaced; j++)
            {
                var q = byArrival[j];
                replaced = q.Start is double qs && q.Reach is double qr && q.Result.Speaker == p.Result.Speaker
                    && qs - TimeCoverage.Epsilon <= s && r <= qr + TimeCoverage.Epsilon;
            }
            if (!replaced) keep.Add(p);
        }
        superseded = byArrival.Count - keep.Count;
        return keep.OrderBy(p => p.Segment).ToList();
    }

    /// <summary>True when text of the discarded open segments may be lost: one had no times, their ranges were too many
    /// to keep, or one range is covered neither by <paramref name="finals"/> nor by <paramref name="written"/>.</summary>
    public static bool DiscardsLost(TimeCoverage discarded, bool untimedDiscarded, TimeCoverage finals, TimeCoverage written) =>
        untimedDiscarded || discarded.Forgot || discarded.Ranges.Any(d => !finals.Covers(d.Start, d.End) && !written.Covers(d.Start, d.End));
}
