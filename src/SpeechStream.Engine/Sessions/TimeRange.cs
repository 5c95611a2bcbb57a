using System.Globalization;

namespace SpeechStream.Engine.Sessions;

/// <summary>A span of audio, in seconds from the start of the file.</summary>
public readonly record struct TimeRange(double Start, double End)
{
    /// <summary>Its length in seconds.</summary>
    public double Seconds => End - Start;

    /// <summary>"1.50-3.20 s", in the current culture (messages follow the user's culture).</summary>
    public override string ToString() => ToString(CultureInfo.CurrentCulture);

    /// <summary>"1.50-3.20 s", formatted with <paramref name="provider"/>.</summary>
    public string ToString(IFormatProvider? provider) => string.Create(provider, $"{Start:0.00}-{End:0.00} s");

    /// <summary>The ranges sorted and merged where they touch or overlap; empty ranges dropped.</summary>
    public static IReadOnlyList<TimeRange> Merge(IEnumerable<TimeRange> ranges)
    {
        var merged = new List<TimeRange>();
        foreach (var r in ranges.Where(r => r.End > r.Start + 1e-9).OrderBy(r => r.Start))
        {
            if (merged.Count > 0 && r.Start <= merged[^1].End + 1e-6)
                merged[^1] = merged[^1] with { End = Math.Max(merged[^1].End, r.End) };
            else merged.Add(r);
        }
        return merged;
    }
}
