namespace SpeechStream.Engine.Sessions;

/// <summary>
/// Unconfirmed promotion: the open segments (partials with no final yet), at most <see cref="Capacity"/> (the oldest
/// are discarded and counted, their time ranges kept), and where confirmed finals with times have text. When the
/// session ends, <see cref="Promote"/> picks the partials to write as finals marked Unconfirmed, except those
/// superseded by confirmed finals or later partials (<see cref="UnconfirmedPartials"/>). Plain values (times in
/// seconds on the file's timeline); written by one thread at a time, <see cref="HasOpen"/> readable from any.
/// </summary>
internal sealed class OpenSegments(int capacity)
{
    private readonly Dictionary<int, OpenPartial> _open = new();
    private readonly Queue<int> _order = new();
    /// <summary>Where confirmed finals with times have text; the time ranges of discarded open segments; of those written.</summary>
    private readonly TimeCoverage _finalRanges = new(UnconfirmedPartials.FinalsJoinGap, maxRanges: 256), _discarded = new(0), _written = new(0);
    private bool _untimedDiscarded;
    private int _count;
    private long _arrivals;

    /// <summary>Most segments open at once.</summary>
    public int Capacity { get; } = capacity;

    /// <summary>True when segments with only partial results are open (a count kept apart from the dictionary, so
    /// another thread may read it).</summary>
    public bool HasOpen => Volatile.Read(ref _count) > 0;

    /// <summary>Open segments discarded because more than <see cref="Capacity"/> were open at once.</summary>
    public int Discarded { get; private set; }

    /// <summary>Open segments not written by <see cref="Promote"/> because confirmed finals or a later partial cover their audio.</summary>
    public int Superseded { get; private set; }

    /// <summary>True when a discarded open segment's text may be lost (<see cref="UnconfirmedPartials.DiscardsLost"/>):
    /// read once the open segments are promoted.</summary>
    public bool DiscardedTextLost => Discarded > 0 && UnconfirmedPartials.DiscardsLost(_discarded, _untimedDiscarded, _finalRanges, _written);

    /// <summary>Time ranges (s) of the partials written as Unconfirmed (where they had times).</summary>
    public List<TimeRange> UnconfirmedRanges { get; } = new();

    /// <summary>The next place in the order partials arrive (for <see cref="OpenPartial.Arrival"/>).</summary>
    public long NextArrival() => _arrivals++;

    /// <summary>The latest partial of <paramref name="segment"/>; discards the oldest segment beyond the capacity.</summary>
    public void Open(int segment, OpenPartial p)
    {
        if (!_open.ContainsKey(segment)) _order.Enqueue(segment);
        _open[segment] = p;
        while (_open.Count > Capacity && _order.TryDequeue(out int oldest))
            if (_open.Remove(oldest, out var gone))
            {
                Discarded++;
                if (gone.Start is double s && gone.Reach is double r) _discarded.Add(s, r);
                else _untimedDiscarded = true;
            }
        Count();
    }

    /// <summary>A final came for <paramref name="segment"/>: it is no longer open.</summary>
    public void Close(int segment)
    {
        _open.Remove(segment);
        Count();
        if (_order.Count > 4 * Capacity) // forget closed ids now and then
        {
            var live = _order.Where(_open.ContainsKey).ToList();
            _order.Clear();
            foreach (var s in live) _order.Enqueue(s);
        }
    }

    /// <summary>A confirmed final with times has text from <paramref name="startSeconds"/> to <paramref name="endSeconds"/>.</summary>
    public void FinalCovers(double startSeconds, double endSeconds) => _finalRanges.Add(startSeconds, endSeconds);

    /// <summary>Forgets every open segment without writing it (their audio is being replayed).</summary>
    public void Clear()
    {
        _open.Clear();
        _order.Clear();
        Count();
    }

    /// <summary>The partials to write as finals marked Unconfirmed, in segment order, and no segment open after; records
    /// their ranges (a partial with a start but no end may run to <paramref name="sentSeconds"/>, the audio sent).</summary>
    public List<OpenPartial> Promote(double sentSeconds)
    {
        var written = UnconfirmedPartials.Select(_open.Values, _finalRanges, out int superseded);
        foreach (var partial in written)
        {
            if (partial.Start is double s) UnconfirmedRanges.Add(new TimeRange(s, Math.Max(s, partial.End ?? sentSeconds)));
            if (partial.Start is double from && partial.Reach is double to) _written.Add(from, to);
        }
        Superseded += superseded;
        Clear();
        return written;
    }

    private void Count() => Volatile.Write(ref _count, _open.Count);
}
