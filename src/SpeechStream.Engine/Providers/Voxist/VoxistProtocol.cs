using System.Text.Json;
using Microsoft.Extensions.Logging;
using SpeechStream.Engine.Diagnostics;
using SpeechStream.Engine.Sessions;
using SpeechStream.Engine.Transcripts;

namespace SpeechStream.Engine.Providers.Voxist;

/// <summary>
/// Voxist real-time ASR (seed <c>000_443b1dd6a250d92a.txt</c>; decisions in protocols.md).
/// Auth: a temporary token from <c>GET /websocket?engine=voxist-rt-2</c> with header <c>X-LVL-KEY</c> (default),
/// or <c>api_key</c> in the query. Audio: binary PCM s16le mono, 16 kHz by default, 100 ms chunks.
/// End of stream: <c>{"eof":1}</c> (seed) then the text frame <c>Done</c> (newer samples); the server closes
/// the socket when it has sent the last final. Results: <c>type</c> partial|final, <c>segment</c>,
/// <c>startedAt</c> and word <c>startedAt</c> in <b>seconds</b>; words have start times only (no end).
/// Close codes: 1008 policy (language, entitlement, rate limit), 1011 engine unavailable, 1013 overloaded
/// (retryable after <c>retryAfterMs</c>).
/// </summary>
public sealed class VoxistProtocol : ProviderProtocol
{
    /// <summary>Token exchange path on the HTTP host of the WebSocket endpoint (seed 000_…).</summary>
    public const string TokenPath = "/websocket";
    public const string DefaultEngine = "voxist-rt-2";

    private static readonly ProviderDescriptor Desc = new()
    {
        Name = "Voxist",
        SeedDocument = "000_443b1dd6a250d92a.txt",
        Endpoints = new[]
        {
            new ProviderEndpoint("Production", new Uri("wss://api-asr.voxist.com/ws")),
            new ProviderEndpoint("Staging", new Uri("wss://asr-staging-dev.voxist.com/ws")),
        },
        AuthModes = new[] { "token", "key" },
        ApiKeyVariable = "VOXIST_API_KEY",
        // The seed allows 8000 or 16000; protocols.md decides to stream 16 kHz by default (engines are 16 kHz).
        SampleRates = new[] { 16000, 8000 },
        Languages = new[] { "fr", "fr-medical", "en", "pt", "nl", "it", "sv", "es", "de" },
        // The seed's sample code defaults to "fr" (its README text says fr-medical); protocols.md keeps lang always in the URL.
        DefaultLanguage = "fr",
        Options = new[]
        {
            new ProviderOption("engine", "string", "Engine requested with the temporary token (seed: voxist-rt-2; the LiveKit plugin uses voxist-rt).", DefaultEngine),
            new ProviderOption("punctuation_mode", "enum", "Generated, or Dictated to turn spoken punctuation into marks (newer Voxist README).", null, new[] { "Generated", "Dictated" }),
        },
        Capabilities = ProviderCapabilities.PartialResults | ProviderCapabilities.WordStartTimes,
        WireTimeUnit = "seconds",
        EndOfStream = "{\"eof\":1} then the text frame Done; the server closes the socket when done",
    };

    public override ProviderDescriptor Descriptor => Desc;

    public override CompletionMode Completion => CompletionMode.ServerClose;

    /// <summary>The HTTP URL of the token exchange for a WebSocket endpoint: same host, path <c>/websocket</c>.</summary>
    public static Uri TokenUri(Uri endpoint, string engine)
    {
        var b = new UriBuilder(endpoint)
        {
            Scheme = endpoint.Scheme == "wss" ? "https" : "http",
            Path = TokenPath,
            Query = "engine=" + Uri.EscapeDataString(engine),
        };
        if (endpoint.IsDefaultPort) b.Port = -1;
        return b.Uri;
    }

    public override async Task<ConnectRequest> PrepareConnectAsync(ConnectContext c, CancellationToken ct)
    {
        var o = c.Options;
        string lang = string.IsNullOrWhiteSpace(o.Language) ? Desc.DefaultLanguage! : o.Language.Trim();
        int rate = o.SampleRate ?? Desc.DefaultSampleRate;
        var query = new List<string> { "lang=" + Uri.EscapeDataString(lang), "sample_rate=" + rate };
        if (o.ProviderOptions.Get(Desc, "punctuation_mode") is { } pm) query.Add("punctuation_mode=" + Uri.EscapeDataString(pm));
        Uri baseUri;
        DateTimeOffset? expires = null;
        if (c.AuthMode == "key")
        {
            var b = new UriBuilder(c.Endpoint) { Query = "" };
            baseUri = new Uri(b.Uri + "?api_key=" + Uri.EscapeDataString(c.ApiKey.Reveal()));
        }
        else
        {
            baseUri = await ExchangeTokenAsync(c, o.ProviderOptions.Get(Desc, "engine") ?? DefaultEngine, ct).ConfigureAwait(false);
            expires = TokenExpiry(baseUri);
        }
        string sep = baseUri.Query.Length > 0 ? "&" : "?";
        return new ConnectRequest { Uri = new Uri(baseUri + sep + string.Join("&", query)), ExpiresAt = expires };
    }

    private static async Task<Uri> ExchangeTokenAsync(ConnectContext c, string engine, CancellationToken ct)
    {
        var tokenUri = TokenUri(c.Endpoint, engine);
        using var req = new HttpRequestMessage(HttpMethod.Get, tokenUri);
        req.Headers.TryAddWithoutValidation("accept", "application/json");
        req.Headers.TryAddWithoutValidation("X-LVL-KEY", c.ApiKey.Reveal());
        c.Logger.LogDebug("Requesting a temporary Voxist token from {Uri}", tokenUri);
        using var resp = await c.Http.SendAsync(req, ct).ConfigureAwait(false);
        if (!resp.IsSuccessStatusCode)
        {
            var retry = resp.Headers.RetryAfter is { } ra ? ra.Delta ?? (ra.Date - DateTimeOffset.UtcNow) : null;
            throw HttpFailures.FromStatus(Desc.Name, (int)resp.StatusCode, retry, Desc.ApiKeyVariable, tokenUri.ToString());
        }
        string body = await resp.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        string? url = null;
        try
        {
            using var doc = JsonDocument.Parse(body);
            url = doc.RootElement.Str("url");
        }
        catch (JsonException) { }
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("ws" or "wss"))
            throw new AsrException(AsrErrorKind.Provider, "TokenResponseInvalid",
                $"Voxist's token endpoint {tokenUri} answered without a ws(s):// 'url' field.") { Provider = Desc.Name };
        // The token is a secret from now on: never show it.
        foreach (var part in uri.Query.TrimStart('?').Split('&'))
            if (part.StartsWith("token=", StringComparison.Ordinal)) SecretRedactor.Register(Uri.UnescapeDataString(part[6..]));
        return uri;
    }

    /// <summary>The <c>exp</c> claim (Unix seconds) of the JWT in a token URL's <c>token</c> parameter; null when
    /// absent or unreadable. The token lasts 1 hour (seed 000_…; protocols.md: refresh 300 s early).</summary>
    public static DateTimeOffset? TokenExpiry(Uri tokenUrl)
    {
        foreach (var part in tokenUrl.Query.TrimStart('?').Split('&'))
        {
            if (!part.StartsWith("token=", StringComparison.Ordinal)) continue;
            var pieces = Uri.UnescapeDataString(part[6..]).Split('.');
            if (pieces.Length < 2) return null;
            try
            {
                string b64 = pieces[1].Replace('-', '+').Replace('_', '/');
                b64 += new string('=', (4 - b64.Length % 4) % 4);
                using var doc = JsonDocument.Parse(Convert.FromBase64String(b64));
                return doc.RootElement.Num("exp") is double exp ? DateTimeOffset.FromUnixTimeSeconds((long)exp) : null;
            }
            catch (Exception e) when (e is FormatException or JsonException) { return null; }
        }
        return null;
    }

    public override IReadOnlyList<OutgoingFrame> EndOfStream(ConnectContext context) =>
        new[] { OutgoingFrame.Text("{\"eof\":1}"), OutgoingFrame.Text("Done") };

    public override IMessageParser CreateParser(ParserContext context) => new Parser();

    public override AsrException? MapClose(int code, string? reason, bool endOfStreamSent)
    {
        string why = string.IsNullOrWhiteSpace(reason) ? "" : $": {reason}";
        switch (code)
        {
            case 1000 or 1005 when endOfStreamSent:
                return null;
            case 1008:
                return new AsrException(AsrErrorKind.Provider, "VoxistPolicyViolation",
                    $"Voxist closed the connection (1008{why}): unsupported language, a model the account is not entitled to, or the account's rate limit.")
                { Provider = Desc.Name, CloseCode = code };
            case 1011:
                // Transient (issue 5: reconnect on 1011); a language with no streaming engine fails again at once,
                // and the consecutive-failure budget then ends the session with this message.
                return new AsrException(AsrErrorKind.Provider, "VoxistEngineUnavailable",
                    $"Voxist closed the connection (1011{why}): the engine is unavailable or timed out, or this language has no streaming engine (e.g. sv).")
                { Provider = Desc.Name, CloseCode = code, IsTransient = true };
            case 1013:
                TimeSpan? after = null;
                if (reason is not null && reason.TrimStart().StartsWith('{'))
                {
                    try
                    {
                        using var doc = JsonDocument.Parse(reason);
                        if (doc.RootElement.Num("retryAfterMs") is double ms) after = TimeSpan.FromMilliseconds(ms);
                    }
                    catch (JsonException) { }
                }
                return new AsrException(AsrErrorKind.Connection, "VoxistOverloaded",
                    $"Voxist is at capacity (1013{why}).") { Provider = Desc.Name, CloseCode = code, IsTransient = true, RetryAfter = after ?? TimeSpan.FromSeconds(3) };
            case 1006:
                return new AsrException(AsrErrorKind.Connection, "ConnectionLost", "The connection to Voxist was torn down (1006).")
                { Provider = Desc.Name, CloseCode = code, IsTransient = true };
            default:
                return new AsrException(AsrErrorKind.Provider, "VoxistClosed",
                    $"Voxist closed the connection ({code}{why}){(endOfStreamSent ? "" : " before the end of stream")}.")
                { Provider = Desc.Name, CloseCode = code };
        }
    }

    /// <summary>Parses Voxist result frames. <c>{"status":"connected"}</c> and unknown frames are ignored;
    /// <c>{"type":"error"}</c> (LiveKit plugin) becomes a Provider error.</summary>
    private sealed class Parser : IMessageParser
    {
        public ParsedMessage ParseText(string text)
        {
            using var doc = TryParseJson(text);
            if (doc is null || doc.RootElement.ValueKind != JsonValueKind.Object) return ParsedMessage.Ignored;
            var root = doc.RootElement;
            string? type = root.Str("type");
            if (type == "error")
                return new ParsedMessage
                {
                    Error = new AsrException(AsrErrorKind.Provider, "VoxistError",
                        $"Voxist reported an error: {root.Str("message") ?? root.Str("error") ?? "no message"}.") { Provider = Desc.Name },
                };
            if (type is not ("partial" or "final")) return ParsedMessage.Ignored;
            string txt = root.Str("text") ?? root.Str("transcript") ?? "";
            int segment = (int)(root.Num("segment") ?? 0);
            var words = new List<TranscriptWord>();
            if (root.Obj("elements") is { } el)
                foreach (var w in el.Arr("words"))
                    if (w.Str("text") is { Length: > 0 } wt)
                        words.Add(new TranscriptWord(wt, w.Num("startedAt"), null, w.Num("confidence")));
            // startedAt on the segment is approximate (0 in the seed's example while its words start at 1.28 s):
            // the first word's start is the reliable time (protocols.md, Voxist ambiguity 10).
            double? start = words.Count > 0 ? words[0].Start : root.Num("startedAt");
            var msg = new ParsedMessage();
            msg.Results.Add(new ProviderResult(segment.ToString(System.Globalization.CultureInfo.InvariantCulture), type == "final",
                txt, start, null, words, root.Num("confidence")));
            return msg;
        }
    }
}
