namespace SpeechStream.Engine.Sessions;

/// <summary>
/// Stretches of a file's timeline (seconds), kept sorted and merged as they are added: two stretches closer than
/// <c>joinGap</c> become one. Bounded: beyond <c>maxRanges</c> the earliest is forgotten and <see cref="Forgot"/> set,
/// so a question about forgotten time answers "not covered" (the safe answer for <see cref="ResultAssembler"/>: a
/// partial is then written, not dropped).
/// </summary>
internal sealed class TimeCoverage(double joinGap, int maxRanges = 4096)
{
    /// <summary>Slack for rounding when a stretch is compared with the ranges (seconds).</summary>
    public const double Epsilon = 0.05;

    private readonly List<(double Start, double End)> _ranges = new();

    /// <summary>True once a range was forgotten to stay within the bound.</summary>
    public bool Forgot { get; private set; }

    public IReadOnlyList<(double Start, double End)> Ranges => _ranges;

    /// <summary>Adds the stretch from <paramref name="start"/> to <paramref name="end"/> (seconds; reversed bounds are
    /// swapped).</summary>
    public void Add(double start, double end)
    {
        if (end < start) (start, end) = (end, start);
        int i = _ranges.Count;
        while (i > 0 && _ranges[i - 1].Start > start) i--; // results arrive mostly in time order: found near the end
        _ranges.Insert(i, (start, end));
        if (i > 0 && _ranges[i - 1].End + joinGap >= start) i = Join(i - 1);
        while (i + 1 < _ranges.Count && _ranges[i].End + joinGap >= _ranges[i + 1].Start) Join(i);
        if (_ranges.Count > maxRanges)
        {
            _ranges.RemoveAt(0);
            Forgot = true;
        }
    }

    /// <summary>Merges range <paramref name="i"/> with the next one; returns <paramref name="i"/>.</summary>
    private int Join(int i)
    {
        _ranges[i] = (_ranges[i].Start, Math.Max(_ranges[i].End, _ranges[i + 1].End));
        _ranges.RemoveAt(i + 1);
        return i;
    }

    /// <summary>True when one range holds the whole stretch from <paramref name="start"/> to <paramref name="end"/>
    /// (within <see cref="Epsilon"/>).</summary>
    public bool Covers(double start, double end)
    {
        foreach (var r in _ranges)
            if (r.Start - Epsilon <= start && end <= r.End + Epsilon) return true;
        return false;
    }
}
