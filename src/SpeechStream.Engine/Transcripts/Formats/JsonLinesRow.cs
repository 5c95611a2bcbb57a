using System.Text.Json.Serialization;

namespace SpeechStream.Engine.Transcripts.Formats;

/// <summary>One line of <c>--format jsonl</c> (<see cref="JsonLinesWriter"/>): a <see cref="Transcript"/>'s columns in
/// the CSV order, camelCase, nulls written, times in seconds:
/// <c>{"provider":…,"source":…,"channel":…,"sessionId":…,"segment":…,"isFinal":…,"text":…,"start":…,"end":…,
/// "timesEstimated":…,"confidence":…,"language":…,"speaker":…,"receivedAt":…,"latency":…,"unconfirmed":…,
/// "words":[{"text":…,"start":…,"end":…,"confidence":…}]}</c>.</summary>
internal sealed record JsonLinesRow(
    string Provider, string? Source, string? Channel, string SessionId, int Segment, bool IsFinal, string Text,
    double? Start, double? End, bool TimesEstimated, double? Confidence, string? Language, string? Speaker,
    DateTimeOffset ReceivedAt, double? Latency, bool Unconfirmed, IReadOnlyList<JsonLinesWord> Words)
{
    public static JsonLinesRow From(Transcript t) => new(
        t.Provider, t.Source, t.Channel, t.SessionId, t.Segment, t.IsFinal, t.Text, t.Start, t.End, t.TimesEstimated,
        t.Confidence, t.Language, t.Speaker, t.ReceivedAt, t.Latency, t.Unconfirmed,
        t.Words.Select(w => new JsonLinesWord(w.Text, w.Start, w.End, w.Confidence)).ToList());
}

/// <summary>A word of <see cref="JsonLinesRow.Words"/>: <c>{"text":…,"start":…,"end":…,"confidence":…}</c>.</summary>
internal sealed record JsonLinesWord(string Text, double? Start, double? End, double? Confidence);

/// <summary>Source-generated System.Text.Json metadata for <see cref="JsonLinesRow"/> (no reflection, so the native
/// CLI writes JSON lines too): camelCase, nulls written. <see cref="JsonLinesWriter"/> adds the relaxed encoder at
/// run time (non-ASCII text as is, not <c>\uXXXX</c>).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(JsonLinesRow))]
internal sealed partial class TranscriptJsonContext : JsonSerializerContext;
