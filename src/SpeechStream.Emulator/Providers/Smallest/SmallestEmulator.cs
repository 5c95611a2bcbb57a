using System.Text.Json;

namespace SpeechStream.Emulator;

/// <summary>
/// Smallest.ai Lightning STT, as its protocol document describes it
/// (notes: src/SpeechStream.Engine/Providers/Smallest/README.md): <c>Authorization: Bearer</c>
/// (or <c>?token=</c>), configuration in the query (<c>language</c>, <c>encoding</c>, <c>sample_rate</c>,
/// <c>word_timestamps</c>, …), binary audio in, <c>{session_id, transcript, is_final, is_last, …}</c> out with words
/// in seconds under <c>words</c> or the seed's <c>word_timestamps</c>; <c>{"type":"end"}</c> ends the stream
/// (and, as a test server should, <c>finalize</c> and <c>close_stream</c> too; a profile accepts only the endpoint's
/// own message and treats the others as a flush); the last final carries <c>is_last: true</c> and the client closes.
/// Serves the seed path and the Lightning, Pulse and unified paths.
/// </summary>
internal sealed class SmallestEmulator : StreamingEmulator
{
    /// <summary>This emulator, as <see cref="EmulatorRegistry"/> lists it.</summary>
    public static EmulatorRegistration Registration { get; } = new("Smallest", o => new SmallestEmulator(o))
    {
        SendsErrorFrames = true,
        Profiles = Profiles(),
    };

    /// <summary>The server behaviours only this provider's document leaves open (<see cref="EmulatorProfiles"/>).</summary>
    private static EmulatorProfile[] Profiles()
    {
        string[] only = ["Smallest"];
        return
        [
            new("error-typed", "After 1 s of audio sends {\"type\":\"error\",\"error_code\",\"message\"} (Smallest's changelog), then closes 1011.",
                only, o => EmulatorProfiles.ErrorThenClose(o, SmallestErrorShape.Typed)),
            new("error-status", "After 1 s of audio sends the legacy {\"status\":\"error\",\"error\":{message,code}}, then closes 1011.",
                only, o => EmulatorProfiles.ErrorThenClose(o, SmallestErrorShape.Status)),
            new("unified", "As Smallest's unified route answers (stt-live-ws.yaml): type:\"transcription\" frames with transcript, transcription and full_transcript; close_stream ends the stream, finalize only flushes.",
                only, o => { o.SmallestTranscriptionFrames = true; o.SmallestStrictEndMessage = true; }),
            new("repeat-last", "The is_last frame repeats the previous final's transcript (coval-ai/benchmarks' first Smallest fixture).",
                only, o => o.SmallestRepeatLast = true),
            new("strict-end-message", "Ends the stream only on the endpoint's own end message; the others flush and the stream goes on.", only,
                o => o.SmallestStrictEndMessage = true),
        ];
    }

    private static readonly string[] Encodings = { "linear16", "linear32", "alaw", "mulaw", "opus", "ogg_opus" };

    /// <summary>A Smallest emulator behaving as <paramref name="options"/> say.</summary>
    public SmallestEmulator(EmulatorOptions options) : base(options) { }

    /// <inheritdoc/>
    public override string Provider => "Smallest";
    /// <inheritdoc/>
    public override string WebSocketPath => "/api/v1/lightning/get_text";

    /// <inheritdoc/>
    protected override bool ServesPath(string path) => path.EndsWith("/get_text", StringComparison.Ordinal) || path.EndsWith("/stt/live", StringComparison.Ordinal);

    /// <summary>Credentials as Bearer, <c>api_key</c> (Smallest's AI SDK provider) or <c>token</c> (the documentation);
    /// on the unified route, <c>model=pulse</c> is required before the upgrade (stt-live-ws.yaml: "Missing or invalid
    /// values return 400 before the WebSocket upgrades").</summary>
    protected override (int Status, string Body)? CheckAuth(EmulatorServer server, HttpRequestHead req)
    {
        string? key = Bearer(req) ?? (req.Query.TryGetValue("api_key", out var k) ? k : req.Query.TryGetValue("token", out var t) ? t : null);
        if (!Options.Accepts(key)) return (401, "{\"message\":\"Missing or invalid Authorization\"}");
        if (req.Path.EndsWith("/stt/live", StringComparison.Ordinal) && !(req.Query.TryGetValue("model", out var m) && m == "pulse"))
        {
            server.Violation("Smallest's unified route needs model=pulse (Smallest README, Connection)");
            return (400, "{\"type\":\"error\",\"status\":\"error\",\"message\":\"model is required: pulse\"}");
        }
        return null;
    }

    /// <inheritdoc/>
    protected override Task<int?> OpenAsync(EmulatedStream s, CancellationToken ct)
    {
        var q = s.Request.Query;
        foreach (var name in new[] { "language", "encoding", "sample_rate", "word_timestamps" })
            if (!q.ContainsKey(name)) s.Server.Violation($"Smallest query lacks '{name}' (Smallest README, Connection: always send it explicitly)");
        if (q.TryGetValue("encoding", out var enc) && !Encodings.Contains(enc)) s.Server.Violation($"unknown encoding '{enc}'");
        if (enc is not null and not "linear16") s.Server.Violation($"the client declared encoding '{enc}' but sends PCM s16le");
        if (q.TryGetValue("keywords", out var kw) && s.Request.Path.Contains("/waves/v1/", StringComparison.Ordinal) && kw.TrimStart().StartsWith('['))
            s.Server.Violation($"keywords sent as a JSON array on {s.Request.Path}: the route takes one comma-separated string (pulse-stt-ws.yaml)");
        return Task.FromResult<int?>(q.TryGetValue("sample_rate", out var sr) && int.TryParse(sr, out var r) && r > 0 ? r : 16000);
    }

    /// <inheritdoc/>
    protected override TextMeaning ClassifyText(EmulatedStream s, string text)
    {
        string? type = new[] { "end", "finalize", "close_stream" }.FirstOrDefault(t => JsonHas(text, "type", t));
        if (type is null) return TextMeaning.Wrong($"unexpected text frame: {Truncate(text)}");
        if (!Options.SmallestStrictEndMessage) return TextMeaning.End;
        return type == OwnEndMessage(s.Request.Path) ? TextMeaning.End : TextMeaning.Flush;
    }

    /// <summary>The end message each endpoint's documents give (Smallest README, "End of stream").</summary>
    public static string OwnEndMessage(string path) =>
        path.Contains("/waves/v1/", StringComparison.Ordinal) || path.Contains("/stt/live", StringComparison.Ordinal) ? "close_stream" : "end";

    /// <summary>The wrong end message on a strict endpoint: what is owed goes out as finals marked <c>from_finalize</c>,
    /// without <c>is_last</c>, and the stream stays open (Pulse's finalize).</summary>
    protected override async Task FlushAsync(EmulatedStream s, CancellationToken ct)
    {
        foreach (var e in s.Finish()) await s.SendAsync(Json(s, e, isLast: false, fromFinalize: true), ct);
    }

    /// <inheritdoc/>
    protected override Task SendResultAsync(EmulatedStream s, EmittedResult e, CancellationToken ct) =>
        s.SendAsync(Json(s, e, isLast: false), ct);

    /// <summary>A result, written straight to UTF-8 (the words field's name is a profile setting):
    /// <c>{"type":"transcription","status":"success",</c> (transcription-frames profile) <c>"session_id":…,"transcript":…,
    /// "transcription":…</c> (same profile) <c>,"is_final":…,"is_last":…,"from_finalize":true</c> (finalize only), then on
    /// finals <c>"full_transcript":…</c> (transcription frames) <c>,"language":…,"words":[{"word":…,"start":…,"end":…,"confidence":…}]</c>
    /// (with <c>word_timestamps=true</c>), times in seconds.</summary>
    private string Json(EmulatedStream s, EmittedResult? e, bool isLast, bool fromFinalize = false, string? text = null)
    {
        text ??= e?.Text ?? "";
        bool frames = Options.SmallestTranscriptionFrames;
        var json = new System.Buffers.ArrayBufferWriter<byte>(256 + 80 * (e?.Words.Count ?? 0));
        using (var w = new Utf8JsonWriter(json))
        {
            w.WriteStartObject();
            if (frames) { w.WriteString("type", "transcription"); w.WriteString("status", "success"); }
            w.WriteString("session_id", "sess_" + s.Record.GetHashCode().ToString("x8"));
            w.WriteString("transcript", text);
            if (frames) w.WriteString("transcription", text);
            w.WriteBoolean("is_final", e?.IsFinal ?? true);
            w.WriteBoolean("is_last", isLast);
            if (fromFinalize) w.WriteBoolean("from_finalize", true);
            bool words = s.Request.Query.TryGetValue("word_timestamps", out var wt) && wt == "true";
            if (e is { IsFinal: true })
            {
                if (frames) w.WriteString("full_transcript", _said.TryGetValue(s, out var said) ? (said + " " + text).Trim() : text);
                s.Request.Query.TryGetValue("language", out var lang);
                w.WriteString("language", lang ?? "en");
                if (words)
                {
                    w.WriteStartArray(Options.SmallestWordsField);
                    foreach (var word in e.Words)
                    {
                        w.WriteStartObject();
                        w.WriteString("word", word.Text);
                        w.WriteNumber("start", Math.Round(word.Start, 3));
                        w.WriteNumber("end", Math.Round(word.End, 3));
                        w.WriteNumber("confidence", 0.97);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                }
                if (frames) _said.AddOrUpdate(s, text, (_, before) => (before + " " + text).Trim());
            }
            w.WriteEndObject();
        }
        if (isLast) _said.TryRemove(s, out _); // the stream is over: forget what it said
        return System.Text.Encoding.UTF8.GetString(json.WrittenSpan);
    }

    /// <summary>The finals said so far on each connection, for <c>full_transcript</c>.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<EmulatedStream, string> _said = new();

    /// <summary>The last finals; the very last message carries <c>is_last: true</c> (an empty final when nothing is owed).</summary>
    protected override async Task SendLastAsync(EmulatedStream s, IReadOnlyList<EmittedResult> last, CancellationToken ct)
    {
        if (Options.SmallestRepeatLast)
        {
            // The recorded shape: the last final as a final, then is_last repeating its transcript.
            foreach (var e in last) await s.SendAsync(Json(s, e, isLast: false), ct);
            await s.SendAsync(Json(s, null, isLast: true, text: last.Count > 0 ? last[^1].Text : ""), ct);
            return;
        }
        for (int i = 0; i < last.Count; i++) await s.SendAsync(Json(s, last[i], isLast: i == last.Count - 1), ct);
        if (last.Count == 0) await SendCompletionAsync(s, ct);
        // the seed client closes after is_last
    }

    /// <inheritdoc/>
    protected override Task SendCompletionAsync(EmulatedStream s, CancellationToken ct) => s.SendAsync(Json(s, null, isLast: true), ct);

    /// <inheritdoc/>
    protected override string? ErrorFrame(string code, string message) => Options.SmallestErrorShape switch
    {
        SmallestErrorShape.Typed => JsonSerializer.Serialize(new SmallestTypedError { ErrorCode = code, Message = message }, SmallestEmulatorJsonContext.Default.SmallestTypedError),
        SmallestErrorShape.Status => JsonSerializer.Serialize(new SmallestStatusError { Error = new SmallestErrorBody(message, code) }, SmallestEmulatorJsonContext.Default.SmallestStatusError),
        _ => JsonSerializer.Serialize(new SmallestPlainError(message, code), SmallestEmulatorJsonContext.Default.SmallestPlainError),
    };
}
