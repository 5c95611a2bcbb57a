using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace SpeechStream.Engine.Transcripts.Formats;

/// <summary>
/// One JSON object per line: a <see cref="Transcript"/>'s columns (<see cref="TranscriptColumns"/>) in the CSV order,
/// camelCase names, nulls written, times in seconds, non-ASCII text as is (not <c>\uXXXX</c>):
/// <c>{"provider":…,"source":…,"channel":…,"sessionId":…,"segment":…,"isFinal":…,"text":…,"start":…,"end":…,
/// "timesEstimated":…,"confidence":…,"language":…,"speaker":…,"receivedAt":…,"latency":…,"unconfirmed":…,
/// "words":[{"text":…,"start":…,"end":…,"confidence":…}]}</c>. Written with <see cref="Utf8JsonWriter"/> (no
/// reflection, so the native CLI writes it too), byte for byte what System.Text.Json's serializer writes for the same
/// row.
/// </summary>
internal sealed class JsonLinesWriter : TranscriptWriter
{
    private static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
    private static readonly JsonWriterOptions Options = new() { Encoder = Encoder };
    private static readonly JsonEncodedText[] Names =
        TranscriptColumns.Names.Select(n => JsonEncodedText.Encode(JsonNamingPolicy.CamelCase.ConvertName(n), Encoder)).ToArray();
    private static readonly JsonEncodedText WordText = JsonEncodedText.Encode("text", Encoder), WordStart = JsonEncodedText.Encode("start", Encoder),
        WordEnd = JsonEncodedText.Encode("end", Encoder), WordConfidence = JsonEncodedText.Encode("confidence", Encoder);

    private readonly ArrayBufferWriter<byte> _buffer = new(1024);

    /// <summary>A JSON lines writer on <paramref name="output"/>.</summary>
    public JsonLinesWriter(TextWriter output) : base(output) { }

    /// <inheritdoc/>
    protected override void WriteCore(Transcript t)
    {
        _buffer.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(_buffer, Options))
        {
            json.WriteStartObject();
            for (int i = 0; i < Names.Length; i++)
            {
                json.WritePropertyName(Names[i]);
                WriteValue(json, TranscriptColumns.All[i].Value(t));
            }
            json.WriteEndObject();
        }
        Out.WriteLine(Encoding.UTF8.GetString(_buffer.WrittenSpan));
        Rows++;
    }

    private static void WriteValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null: json.WriteNullValue(); break;
            case string s: json.WriteStringValue(s); break;
            case int n: json.WriteNumberValue(n); break;
            case bool b: json.WriteBooleanValue(b); break;
            case double d: json.WriteNumberValue(d); break;
            case DateTimeOffset at: json.WriteStringValue(at); break;
            case WordList words:
                json.WriteStartArray();
                foreach (var w in words)
                {
                    json.WriteStartObject();
                    json.WriteString(WordText, w.Text);
                    json.WritePropertyName(WordStart); WriteValue(json, w.Start);
                    json.WritePropertyName(WordEnd); WriteValue(json, w.End);
                    json.WritePropertyName(WordConfidence); WriteValue(json, w.Confidence);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                break;
            default: throw new InvalidOperationException($"A transcript column holds a {value.GetType().Name}, which has no JSON form here.");
        }
    }
}
