using System.Globalization;
using System.Text;

namespace SpeechStream.Engine.Transcripts.Formats;

/// <summary>Readable lines: <c>[00:04.21 - 00:06.10] left: text</c>. A result without an end shows <c>?</c> in its
/// place; partials are marked "~", finals the provider never confirmed "(unconfirmed)"; the speaker (or, in split
/// mode, the channel) and, with several providers, the provider prefix the text.</summary>
internal sealed class TextWriterFormat : TranscriptWriter
{
    /// <summary>A text writer on <paramref name="output"/>.</summary>
    public TextWriterFormat(TextWriter output) : base(output) { }

    /// <summary>Prefix each line with the provider name.</summary>
    public bool ShowProvider { get; init; }

    protected override void WriteCore(Transcript t)
    {
        Out.WriteLine(Line(t, ShowProvider));
        Rows++;
    }

    /// <summary>The line for one result (no newline).</summary>
    public static string Line(Transcript t, bool showProvider = false)
    {
        var sb = new StringBuilder();
        string start = t.Start is double s ? Clock(s) : "?";
        string end = t.End is double e ? Clock(e) : "?".PadRight(start.Length);
        sb.Append('[').Append(start).Append(" - ").Append(end).Append("] ");
        if (showProvider) sb.Append(t.Provider).Append(": ");
        if (SubtitleCues.Label(t) is { } who) sb.Append(who).Append(": ");
        if (!t.IsFinal) sb.Append("~ ");
        if (t.Unconfirmed) sb.Append("(unconfirmed) ");
        sb.Append(t.Text);
        return sb.ToString();
    }

    /// <summary>Seconds as mm:ss.ff, or h:mm:ss.ff from an hour on.</summary>
    public static string Clock(double seconds)
    {
        var t = TimeSpan.FromSeconds(Math.Round(Math.Max(0, seconds), 2));
        return t.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}.{t.Milliseconds / 10:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{t.Minutes:00}:{t.Seconds:00}.{t.Milliseconds / 10:00}");
    }
}
