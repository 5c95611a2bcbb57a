using System.Text;
using System.Text.Json;

namespace SpeechStream.Emulator;

/// <summary>
/// Voxist, as its protocol document describes it
/// (notes: src/SpeechStream.Engine/Providers/Voxist/README.md): token exchange at <c>GET /websocket</c>
/// (header <c>X-LVL-KEY</c>) answering <c>{"url":"ws://…/ws?token=JWT"}</c>; the WebSocket at <c>/ws</c> with
/// exactly one of <c>api_key</c> or <c>token</c>, plus <c>lang</c> and <c>sample_rate</c>; binary PCM s16le in;
/// partial/final JSON out with start times in seconds; <c>{"eof":1}</c> or <c>Done</c> ends the stream and the
/// server closes with 1000 after the last final. Unsupported languages close with 1008; languages without a
/// streaming engine (<c>sv</c>, per the newer README) with 1011. Profiles: results without <c>segment</c> (the
/// LiveKit plugin's mock), one end signal only, a server that answers the first end frame and refuses the second, and
/// the newer engine (<c>done-ack</c>) that answers <c>Done</c> with a bare <c>Done!</c> and never closes.
/// </summary>
internal sealed class VoxistEmulator : StreamingEmulator
{
    /// <summary>This emulator, as <see cref="EmulatorRegistry"/> lists it.</summary>
    public static EmulatorRegistration Registration { get; } = new("Voxist", o => new VoxistEmulator(o))
    {
        TestLanguage = "en",
        NumbersSegments = true,
        SendsErrorFrames = true,
        Profiles = Profiles(),
    };

    /// <summary>The server behaviours only this provider's document leaves open (<see cref="EmulatorProfiles"/>).</summary>
    private static EmulatorProfile[] Profiles()
    {
        string[] only = ["Voxist"];
        return
        [
            new("no-segment", "Sends results without a segment field, as the Voxist LiveKit plugin's mock does.", only, o => o.VoxistOmitSegment = true),
            new("eof-only", "Ends the stream on {\"eof\":1} only (the seed); Done is an unknown frame.", only, o => o.VoxistEndOfStream = VoxistEndOfStreamMode.EofOnly),
            new("done-only", "Ends the stream on Done only (the newer samples); {\"eof\":1} is discarded.", only, o => o.VoxistEndOfStream = VoxistEndOfStreamMode.DoneOnly),
            new("reject-second-end", "Answers the first end-of-stream frame, then closes 1003 on the second.", only, o => o.VoxistRejectSecondEnd = true),
            new("done-ack", "Voxist's newer engine (LiveKit plugin): {\"eof\":1} is discarded; Done is answered with the last finals and a bare Done! text frame, and the socket is held open.",
                only, o => { o.VoxistDoneAck = true; o.VoxistEndOfStream = VoxistEndOfStreamMode.DoneOnly; }),
        ];
    }

    private static readonly HashSet<string> Streaming = new(StringComparer.OrdinalIgnoreCase)
        { "fr", "fr-medical", "fr-medicalV2-16", "fr-medicalV2-32", "fr-medicalV2-64", "en", "de", "es", "it", "nl", "pt", "fr-FR", "en-US", "de-DE", "nl-NL" };
    private static readonly HashSet<string> NoStreamingEngine = new(StringComparer.OrdinalIgnoreCase) { "sv", "pl", "ja", "he", "tr" };

    private readonly Dictionary<string, DateTimeOffset> _tokens = new();

    /// <summary>A Voxist emulator behaving as <paramref name="options"/> say.</summary>
    public VoxistEmulator(EmulatorOptions options) : base(options) { }

    /// <inheritdoc/>
    public override string Provider => "Voxist";
    /// <inheritdoc/>
    public override string WebSocketPath => "/ws";

    /// <summary>Tokens issued so far.</summary>
    public int TokensIssued { get { lock (_tokens) return _tokens.Count; } }

    /// <inheritdoc/>
    protected override async Task HandleHttpAsync(EmulatorServer server, HttpRequestHead req, Stream stream)
    {
        if (req.Path != "/websocket" || req.Method != "GET")
        {
            await server.RespondAsync(stream, 404, "{\"error\":\"Not found\"}", request: req);
            return;
        }
        if (Options.VoxistTokenRedirect is { } redirect && !req.Query.ContainsKey("redirected"))
        {
            await server.RespondAsync(stream, 302, "", headers: new Dictionary<string, string> { ["Location"] = redirect.ToString() }, request: req);
            return;
        }
        if (!Options.Accepts(req.Header("X-LVL-KEY")))
        {
            await server.RespondAsync(stream, 401, "{\"error\":\"Invalid API key\"}", request: req);
            return;
        }
        string token = MakeToken();
        lock (_tokens) _tokens[token] = DateTimeOffset.UtcNow + Options.TokenLifetime; // the JWT's exp says the same
        await server.RespondAsync(stream, 200, JsonSerializer.Serialize(new VoxistToken($"ws://127.0.0.1:{server.Port}/ws?token={token}"), VoxistEmulatorJsonContext.Default.VoxistToken), request: req);
    }

    /// <inheritdoc/>
    protected override (int Status, string Body)? CheckAuth(EmulatorServer server, HttpRequestHead req)
    {
        bool hasKey = req.Query.TryGetValue("api_key", out var key), hasToken = req.Query.TryGetValue("token", out var token);
        if (hasKey == hasToken)
        {
            server.Violation($"Voxist handshake must carry exactly one of api_key or token (query: {Redacted(req)})");
            return (401, "{\"error\":\"Exactly one of api_key or token is required\"}");
        }
        if ((hasKey && !Options.Accepts(key)) || (hasToken && !TokenValid(token!))) return (401, "{\"error\":\"Unauthorized\"}");
        return null;
    }

    private bool TokenValid(string token)
    {
        lock (_tokens) return _tokens.TryGetValue(token, out var exp) && exp > DateTimeOffset.UtcNow;
    }

    /// <inheritdoc/>
    protected override DateTimeOffset? CredentialExpiry(HttpRequestHead req)
    {
        if (!req.Query.TryGetValue("token", out var token)) return null;
        lock (_tokens) return _tokens.TryGetValue(token, out var exp) ? exp : null;
    }

    private string MakeToken()
    {
        static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        long exp = DateTimeOffset.UtcNow.Add(Options.TokenLifetime).ToUnixTimeSeconds();
        return $"{B64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}")}.{B64($"{{\"exp\":{exp},\"jti\":\"{Guid.NewGuid():n}\"}}")}.{B64(Guid.NewGuid().ToString("n"))}";
    }

    /// <inheritdoc/>
    protected override async Task<int?> OpenAsync(EmulatedStream s, CancellationToken ct)
    {
        s.Request.Query.TryGetValue("lang", out var lang);
        if (string.IsNullOrEmpty(lang) || (!Streaming.Contains(lang) && !NoStreamingEngine.Contains(lang)))
        {
            await s.CloseAsync(1008, "Unsupported language");
            return null;
        }
        if (NoStreamingEngine.Contains(lang))
        {
            await s.CloseAsync(1011, $"No streaming engine for {lang}");
            return null;
        }
        if (Options.VoxistSendConnected) await s.SendAsync("{\"status\":\"connected\"}", ct);
        return s.Request.Query.TryGetValue("sample_rate", out var sr) && int.TryParse(sr, out var r) && r > 0 ? r : 16000;
    }

    /// <inheritdoc/>
    protected override TextMeaning ClassifyText(EmulatedStream s, string text)
    {
        bool isDone = text == "Done", isEof = IsEof(text);
        bool ends = Options.VoxistEndOfStream switch
        {
            VoxistEndOfStreamMode.EofOnly => isEof,
            VoxistEndOfStreamMode.DoneOnly => isDone,
            _ => isDone || isEof,
        };
        if (ends) return TextMeaning.End;
        if (isDone || isEof || text.TrimStart().StartsWith("{\"config\"", StringComparison.Ordinal)) return TextMeaning.Other;
        return TextMeaning.Wrong($"unexpected text frame: {Truncate(text)}");
    }

    private static bool IsEof(string text)
    {
        if (!text.TrimStart().StartsWith('{')) return false;
        try
        {
            using var d = JsonDocument.Parse(text);
            return d.RootElement.TryGetProperty("eof", out var e) && e.ValueKind == JsonValueKind.Number && e.GetInt32() == 1;
        }
        catch (JsonException) { return false; }
    }

    /// <summary>A result in the seed's shape, written straight to UTF-8 (many sessions share one emulator in the
    /// load benchmark): <c>text</c>, <c>type</c>, <c>startedAt</c>, <c>transcript</c> on finals, <c>segment</c> unless the
    /// no-segment profile, and <c>elements</c> with the segment and its words (start times only).</summary>
    protected override async Task SendResultAsync(EmulatedStream s, EmittedResult e, CancellationToken ct)
    {
        var json = new System.Buffers.ArrayBufferWriter<byte>(256 + 96 * e.Words.Count);
        using (var w = new Utf8JsonWriter(json))
        {
            string text = " " + e.Text;
            w.WriteStartObject();
            w.WriteString("text", text);
            w.WriteString("type", e.IsFinal ? "final" : "partial");
            w.WriteNumber("startedAt", Math.Round(e.Start, 2));
            if (e.IsFinal) w.WriteString("transcript", text);
            if (!Options.VoxistOmitSegment) w.WriteNumber("segment", e.Segment);
            w.WriteStartObject("elements");
            w.WriteStartArray("segments");
            WriteElement(w, text, "segment", e.Start, e.Segment);
            w.WriteEndArray();
            w.WriteStartArray("words");
            foreach (var word in e.Words) WriteElement(w, word.Text, "word", word.Start, e.Segment);
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        }
        await s.SendUtf8Async(json.WrittenMemory, ct);
        if (e.IsFinal && Options.RepeatFinals) await s.SendUtf8Async(json.WrittenMemory, ct);
    }

    private void WriteElement(Utf8JsonWriter w, string text, string type, double start, int segment)
    {
        w.WriteStartObject();
        w.WriteString("text", text);
        w.WriteString("type", type);
        w.WriteNumber("startedAt", Math.Round(start, 2));
        if (!Options.VoxistOmitSegment) w.WriteNumber("segment", segment);
        w.WriteEndObject();
    }

    /// <summary>Voxist's completion is its close (newer README: the server closes after Done); a server that refuses
    /// the second end frame sends nothing here and closes 1003 on that frame instead.</summary>
    protected override Task SendCompletionAsync(EmulatedStream s, CancellationToken ct) =>
        Options.VoxistDoneAck ? s.SendAsync("Done!", ct) : Task.CompletedTask;

    /// <summary>The older engine closes after its last final; the newer one (<c>done-ack</c>) acknowledges and holds the socket.</summary>
    protected override bool ServerClosesAfterCompletion => !Options.VoxistRejectSecondEnd && !Options.VoxistDoneAck;

    /// <inheritdoc/>
    protected override async Task<bool> OnRepeatedEndAsync(EmulatedStream s, string text)
    {
        if (!Options.VoxistRejectSecondEnd) return false;
        await s.CloseAsync(1003, $"Unexpected text frame: {Truncate(text)}");
        return true;
    }

    /// <inheritdoc/>
    protected override string? ErrorFrame(string code, string message) => JsonSerializer.Serialize(new VoxistError { Message = message }, VoxistEmulatorJsonContext.Default.VoxistError);
}
