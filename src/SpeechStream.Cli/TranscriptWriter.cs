using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using SpeechStream.Engine.Transcripts;

namespace SpeechStream.Cli;

/// <summary>Writes transcripts to stdout in one of the CLI's formats. Each transcript is written and flushed
/// as it arrives, so output already written survives a later failure. Thread-safe.</summary>
public abstract class TranscriptWriter
{
    protected readonly TextWriter Out;
    private readonly object _lock = new();

    protected TranscriptWriter(TextWriter output) => Out = output;

    /// <summary>The formats: csv (Export-Csv's columns), jsonl (camelCase), text.</summary>
    public static readonly string[] Formats = { "text", "csv", "jsonl" };

    /// <param name="showProvider">Text format: prefix each line with the provider (several providers at once).</param>
    public static TranscriptWriter Create(string format, TextWriter output, bool showProvider = false) => format.ToLowerInvariant() switch
    {
        "csv" => new CsvWriter(output),
        "jsonl" => new JsonLinesWriter(output),
        _ => new TextWriterFormat(output) { ShowProvider = showProvider },
    };

    public void Write(Transcript t)
    {
        lock (_lock)
        {
            WriteCore(t);
            Out.Flush();
        }
    }

    protected abstract void WriteCore(Transcript t);

    internal static string Num(double? v) => v is double d ? d.ToString("0.###", CultureInfo.InvariantCulture) : "";
}

/// <summary>CSV with the same columns, in the same order, as <c>Export-Csv</c> writes for a Transcript
/// (every field quoted, as PowerShell 7 does).</summary>
public sealed class CsvWriter : TranscriptWriter
{
    public static readonly string[] Columns =
        { "Provider", "Source", "Channel", "SessionId", "Segment", "IsFinal", "Text", "Start", "End", "TimesEstimated", "Confidence", "Language", "Speaker", "ReceivedAt", "Latency", "Unconfirmed", "Words" };

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
            t.Provider, t.Source ?? "", t.Channel ?? "", t.SessionId, t.Segment.ToString(CultureInfo.InvariantCulture),
            t.IsFinal ? "True" : "False", t.Text, Num(t.Start), Num(t.End), t.TimesEstimated ? "True" : "False", Num(t.Confidence), t.Language ?? "", t.Speaker ?? "",
            t.ReceivedAt.ToString("o", CultureInfo.InvariantCulture), Num(t.Latency), t.Unconfirmed ? "True" : "False", t.Words.ToString(null, CultureInfo.InvariantCulture),
        };
        Out.WriteLine(string.Join(",", values.Select(Quote)));
    }

    private static string Quote(string s) => "\"" + s.Replace("\"", "\"\"") + "\"";
}

/// <summary>One JSON object per line, camelCase property names.</summary>
public sealed class JsonLinesWriter : TranscriptWriter
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public JsonLinesWriter(TextWriter output) : base(output) { }

    protected override void WriteCore(Transcript t) =>
        Out.WriteLine(JsonSerializer.Serialize(new
        {
            t.Provider, t.Source, t.Channel, t.SessionId, t.Segment, t.IsFinal, t.Text, t.Start, t.End, t.TimesEstimated, t.Confidence,
            t.Language, t.Speaker, t.ReceivedAt, t.Latency, t.Unconfirmed,
            Words = t.Words.Select(w => new { w.Text, w.Start, w.End, w.Confidence }),
        }, Options));
}

/// <summary>Human-readable lines: <c>[start-end] text</c>, partials marked with "~", finals the provider never
/// confirmed with "(unconfirmed)".</summary>
public sealed class TextWriterFormat : TranscriptWriter
{
    public TextWriterFormat(TextWriter output) : base(output) { }

    /// <summary>Prefix each line with the provider name.</summary>
    public bool ShowProvider { get; init; }

    protected override void WriteCore(Transcript t)
    {
        var sb = new StringBuilder();
        sb.Append('[').Append(Num(t.Start)).Append('-').Append(Num(t.End)).Append("] ");
        if (ShowProvider) sb.Append(t.Provider).Append(": ");
        if (!t.IsFinal) sb.Append("~ ");
        if (t.Unconfirmed) sb.Append("(unconfirmed) ");
        sb.Append(t.Text);
        Out.WriteLine(sb.ToString());
    }
}
