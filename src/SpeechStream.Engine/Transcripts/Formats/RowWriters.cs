using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace SpeechStream.Engine.Transcripts.Formats;

/// <summary>
/// CSV with the same columns, in the same order, and the same text as <c>Export-Csv</c> writes for the same Transcript
/// under the invariant culture: PowerShell 7 quotes every field (-UseQuotes Always) except a null, which is left
/// empty (<c>,,</c>), where an empty string is <c>""</c>; each value is its ToString() (numbers shortest round-trip,
/// <c>ReceivedAt</c> as <c>MM/dd/yyyy HH:mm:ss zzz</c>, <c>Words</c> as <c>word@start …</c>). Export-Csv writes the
/// current culture's text, so the two agree byte for byte under the invariant culture (a shell without LANG, a
/// container) and differ in number and date format elsewhere.
/// </summary>
public sealed class CsvWriter : TranscriptWriter
{
    public static readonly string[] Columns =
        { "Provider", "Source", "Channel", "SessionId", "Segment", "IsFinal", "Text", "Start", "End", "TimesEstimated", "Confidence", "Language", "Speaker", "ReceivedAt", "Latency", "Unconfirmed", "Words" };

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private bool _header;

    public CsvWriter(TextWriter output) : base(output) { }

    protected override void WriteCore(Transcript t)
    {
        if (!_header)
        {
            Out.WriteLine(string.Join(",", Columns.Select(Quote)));
            _header = true;
        }
        var values = new[]
        {
            t.Provider, t.Source, t.Channel, t.SessionId, t.Segment.ToString(Invariant),
            t.IsFinal.ToString(), t.Text, Value(t.Start), Value(t.End), t.TimesEstimated.ToString(), Value(t.Confidence), t.Language, t.Speaker,
            t.ReceivedAt.ToString(Invariant), Value(t.Latency), t.Unconfirmed.ToString(), t.Words.ToString(null, Invariant),
        };
        Out.WriteLine(string.Join(",", values.Select(Quote)));
        Rows++;
    }

    /// <summary>A number as Export-Csv writes it under the invariant culture (its ToString()); null stays null.</summary>
    private static string? Value(double? v) => v?.ToString(Invariant);

    /// <summary>Quoted, quotes doubled; a null is an empty field without quotes, as Export-Csv leaves it.</summary>
    private static string Quote(string? s) => s is null ? "" : "\"" + s.Replace("\"", "\"\"") + "\"";
}

/// <summary>One JSON object per line (<see cref="JsonLinesRow"/>), camelCase property names; times in seconds.</summary>
public sealed class JsonLinesWriter : TranscriptWriter
{
    private static readonly JsonTypeInfo<JsonLinesRow> Row = new TranscriptJsonContext(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    }).JsonLinesRow;

    public JsonLinesWriter(TextWriter output) : base(output) { }

    protected override void WriteCore(Transcript t)
    {
        Out.WriteLine(JsonSerializer.Serialize(JsonLinesRow.From(t), Row));
        Rows++;
    }
}

/// <summary>Readable lines: <c>[00:04.21 - 00:06.10] left: text</c>. A result without an end shows <c>?</c> in its
/// place; partials are marked "~", finals the provider never confirmed "(unconfirmed)"; the speaker (or, in split
/// mode, the channel) and, with several providers, the provider prefix the text.</summary>
public sealed class TextWriterFormat : TranscriptWriter
{
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
