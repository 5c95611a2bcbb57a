using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace SpeechStream.Emulator;

/// <summary>
/// Voxist, as seed <c>000_443b1dd6a250d92a.txt</c> describes it: token exchange at <c>GET /websocket</c>
/// (header <c>X-LVL-KEY</c>) answering <c>{"url":"ws://…/ws?token=JWT"}</c>; the WebSocket at <c>/ws</c> with
/// exactly one of <c>api_key</c> or <c>token</c>, plus <c>lang</c> and <c>sample_rate</c>; binary PCM s16le in;
/// partial/final JSON out with start times in seconds; <c>{"eof":1}</c> or <c>Done</c> ends the stream and the
/// server closes with 1000 after the last final. Unsupported languages close with 1008; languages without a
/// streaming engine (<c>sv</c>, per the newer README) with 1011.
/// </summary>
public sealed class VoxistEmulator : ProviderEmulator
{
    private static readonly HashSet<string> Streaming = new(StringComparer.OrdinalIgnoreCase)
        { "fr", "fr-medical", "fr-medicalV2-16", "fr-medicalV2-32", "fr-medicalV2-64", "en", "de", "es", "it", "nl", "pt", "fr-FR", "en-US", "de-DE", "nl-NL" };
    private static readonly HashSet<string> NoStreamingEngine = new(StringComparer.OrdinalIgnoreCase) { "sv", "pl", "ja", "he", "tr" };

    private readonly EmulatorOptions _o;
    private readonly Dictionary<string, DateTimeOffset> _tokens = new();
    private int _closeFaults;

    public VoxistEmulator(EmulatorOptions options) => _o = options;

    public override string Provider => "Voxist";
    public override string WebSocketPath => "/ws";

    /// <summary>Tokens issued so far.</summary>
    public int TokensIssued { get { lock (_tokens) return _tokens.Count; } }

    public override async Task HandleAsync(EmulatorServer server, HttpRequestHead req, Stream stream, CancellationToken ct)
    {
        if (req.Path == "/websocket" && req.Method == "GET" && !req.IsWebSocket)
        {
            if (!_o.Accepts(req.Header("X-LVL-KEY")))
            {
                await server.RespondAsync(stream, 401, "{\"error\":\"Invalid API key\"}", request: req);
                return;
            }
            string token = MakeToken();
            lock (_tokens) _tokens[token] = DateTimeOffset.UtcNow + _o.TokenLifetime;
            await server.RespondAsync(stream, 200, JsonSerializer.Serialize(new { url = $"ws://127.0.0.1:{server.Port}/ws?token={token}" }), request: req);
            return;
        }
        if (req.Path != "/ws" || !req.IsWebSocket)
        {
            await server.RespondAsync(stream, 404, "{\"error\":\"Not found\"}", request: req);
            return;
        }
        if (server.ShouldReject(_o.Faults))
        {
            var h = _o.Faults.RejectRetryAfterSeconds is int ra ? new Dictionary<string, string> { ["Retry-After"] = ra.ToString() } : null;
            await server.RespondAsync(stream, _o.Faults.RejectStatus, "{\"error\":\"injected\"}", headers: h, request: req);
            return;
        }
        bool hasKey = req.Query.TryGetValue("api_key", out var key), hasToken = req.Query.TryGetValue("token", out var token2);
        if (hasKey == hasToken)
        {
            server.Violation($"Voxist handshake must carry exactly one of api_key or token (query: {Redacted(req)})");
            await server.RespondAsync(stream, 401, "{\"error\":\"Exactly one of api_key or token is required\"}", request: req);
            return;
        }
        if ((hasKey && !_o.Accepts(key)) || (hasToken && !TokenValid(token2!)))
        {
            await server.RespondAsync(stream, 401, "{\"error\":\"Unauthorized\"}", request: req);
            return;
        }
        var ws = await server.AcceptWebSocketAsync(stream, req);
        var rec = new EmulatedConnection { Path = req.Path, Query = req.Query, Headers = req.Headers };
        server.Connections.Enqueue(rec);
        await RunAsync(server, ws, req, rec, ct);
    }

    private static string Redacted(HttpRequestHead req) => SpeechStream.Engine.Diagnostics.SecretRedactor.Redact("?" + req.RawQuery);

    private bool TokenValid(string token)
    {
        lock (_tokens) return _tokens.TryGetValue(token, out var exp) && exp > DateTimeOffset.UtcNow;
    }

    private static string MakeToken()
    {
        static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        long exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        return $"{B64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}")}.{B64($"{{\"exp\":{exp},\"jti\":\"{Guid.NewGuid():n}\"}}")}.{B64(Guid.NewGuid().ToString("n"))}";
    }

    private async Task RunAsync(EmulatorServer server, WebSocket ws, HttpRequestHead req, EmulatedConnection rec, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        req.Query.TryGetValue("lang", out var lang);
        if (string.IsNullOrEmpty(lang) || (!Streaming.Contains(lang) && !NoStreamingEngine.Contains(lang)))
        {
            await CloseAsync(ws, rec, (WebSocketCloseStatus)1008, "Unsupported language");
            return;
        }
        if (NoStreamingEngine.Contains(lang))
        {
            await CloseAsync(ws, rec, (WebSocketCloseStatus)1011, $"No streaming engine for {lang}");
            return;
        }
        int rate = req.Query.TryGetValue("sample_rate", out var sr) && int.TryParse(sr, out var r) && r > 0 ? r : 16000;
        if (_o.VoxistSendConnected) await SendAsync(ws, rec, "{\"status\":\"connected\"}", ct);
        var player = _o.Script is null ? null : new ScriptPlayer(_o.Script);
        var vad = _o.Script is null ? new EnergySegmenter(rate) : null;
        bool closeFault = _o.Faults.CloseAfterAudioSeconds is not null && Interlocked.Increment(ref _closeFaults) <= _o.Faults.CloseTimes;
        var buf = new byte[64 * 1024];
        bool first = true;
        while (true)
        {
            int len = 0;
            ValueWebSocketReceiveResult res;
            try
            {
                do
                {
                    if (len == buf.Length) Array.Resize(ref buf, buf.Length * 2);
                    res = await ws.ReceiveAsync(buf.AsMemory(len), ct);
                    len += res.Count;
                } while (!res.EndOfMessage && res.MessageType != WebSocketMessageType.Close);
            }
            catch (WebSocketException)
            {
                if (!rec.EndOfStreamReceived) server.Violation("connection dropped without end of stream");
                rec.Ending = "dropped";
                return;
            }
            if (res.MessageType == WebSocketMessageType.Close)
            {
                if (!rec.EndOfStreamReceived) server.Violation("client closed the connection without end of stream");
                rec.Ending ??= "client-close";
                try { await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", ct); } catch (WebSocketException) { }
                return;
            }
            if (res.MessageType == WebSocketMessageType.Binary)
            {
                if (rec.EndOfStreamReceived) server.Violation("audio received after the end of stream");
                if (first && len >= 12 && buf.AsSpan(0, 4).SequenceEqual("RIFF"u8)) server.Violation("a WAV header was sent as audio");
                if (len % 2 != 0) server.Violation($"audio frame of {len} bytes is not whole s16le samples");
                first = false;
                rec.AudioFrames.Enqueue(len);
                rec.AudioFrameTimes.Enqueue(clock.Elapsed.TotalSeconds);
                rec.AudioBytes += len;
                if (rec.EndOfStreamReceived) continue;
                double t = rec.AudioBytes / 2.0 / rate;
                var results = player is not null ? player.Advance(t).ToList() : vad!.Feed(buf.AsSpan(0, len));
                foreach (var e in results) await SendResultAsync(ws, rec, e, ct);
                if (closeFault && t >= _o.Faults.CloseAfterAudioSeconds)
                {
                    await CloseAsync(ws, rec, (WebSocketCloseStatus)_o.Faults.CloseCode, _o.Faults.CloseReason);
                    return;
                }
                continue;
            }
            string text = Encoding.UTF8.GetString(buf, 0, len);
            rec.TextFrames.Enqueue(text);
            bool isDone = text == "Done", isEof = IsEof(text);
            bool ends = _o.VoxistEndOfStream switch
            {
                VoxistEndOfStreamMode.EofOnly => isEof,
                VoxistEndOfStreamMode.DoneOnly => isDone,
                _ => isDone || isEof,
            };
            if (!isDone && !isEof && !text.TrimStart().StartsWith("{\"config\"", StringComparison.Ordinal))
                server.Violation($"unexpected text frame: {Truncate(text)}");
            if (!ends || rec.EndOfStreamReceived) continue;
            rec.EndOfStreamReceived = true;
            if (_o.Faults.StallAfterEndOfStream) continue; // keep reading, never answer
            if (_o.Faults.CompletionDelay > TimeSpan.Zero) await Task.Delay(_o.Faults.CompletionDelay, ct);
            double end = rec.AudioBytes / 2.0 / rate;
            var last = player is not null ? player.Finish(end).ToList() : vad!.Finish();
            foreach (var e in last) await SendResultAsync(ws, rec, e, ct);
            await CloseAsync(ws, rec, WebSocketCloseStatus.NormalClosure, "");
            // Let the client acknowledge the close.
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                while (ws.State == WebSocketState.CloseSent)
                {
                    var ack = await ws.ReceiveAsync(buf.AsMemory(), wait.Token);
                    if (ack.MessageType == WebSocketMessageType.Text) rec.TextFrames.Enqueue(Encoding.UTF8.GetString(buf, 0, ack.Count));
                    if (ack.MessageType == WebSocketMessageType.Binary) server.Violation("audio received after the end of stream");
                }
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException) { }
            return;
        }
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

    private static string Truncate(string s) => s.Length <= 80 ? s : s[..80] + "…";

    private async Task SendResultAsync(WebSocket ws, EmulatedConnection rec, EmittedResult e, CancellationToken ct)
    {
        string text = " " + e.Text;
        var words = e.Words.Select(w => new { text = w.Text, type = "word", startedAt = Math.Round(w.Start, 2), segment = e.Segment }).ToArray();
        object seg = new { text, type = "segment", startedAt = Math.Round(e.Start, 2), segment = e.Segment };
        string json = e.IsFinal
            ? JsonSerializer.Serialize(new { text, transcript = text, type = "final", startedAt = Math.Round(e.Start, 2), segment = e.Segment, elements = new { segments = new[] { seg }, words } })
            : JsonSerializer.Serialize(new { text, type = "partial", startedAt = Math.Round(e.Start, 2), segment = e.Segment, elements = new { segments = new[] { seg }, words } });
        await SendAsync(ws, rec, json, ct);
        if (e.IsFinal && _o.RepeatFinals) await SendAsync(ws, rec, json, ct);
    }

    private static async Task SendAsync(WebSocket ws, EmulatedConnection rec, string json, CancellationToken ct)
    {
        rec.Sent.Enqueue(json);
        await ws.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, ct);
    }

    private static async Task CloseAsync(WebSocket ws, EmulatedConnection rec, WebSocketCloseStatus code, string reason)
    {
        rec.Sent.Enqueue($"close {(int)code} {reason}");
        rec.Ending = $"server-close {(int)code}";
        try { await ws.CloseOutputAsync(code, reason, CancellationToken.None); } catch (WebSocketException) { }
    }
}
