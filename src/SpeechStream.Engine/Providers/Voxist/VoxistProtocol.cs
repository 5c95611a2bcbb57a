using System.Text.Json;
using Microsoft.Extensions.Logging;
using SpeechStream.Engine.Diagnostics;
using SpeechStream.Engine.Sessions;
using SpeechStream.Engine.Transcripts;

namespace SpeechStream.Engine.Providers.Voxist;

/// <summary>
/// Voxist real-time ASR (seed <c>000_443b1dd6a250d92a.txt</c>; the protocol notes and the choices made are in this
/// folder's README.md). Auth: a temporary token from <c>GET /websocket?engine=voxist-rt-2</c> with header
/// <c>X-LVL-KEY</c> (default; never sent across a redirect to another origin), or <c>api_key</c> in the query.
/// Audio: binary PCM s16le mono, 16 kHz by default, 100 ms chunks. End of stream (option <c>end_signal</c>):
/// <c>{"eof":1}</c> then the text frame <c>Done</c> (default), or either alone; completion: the newer engine's bare
/// <c>Done!</c> text frame (then the completion grace; the socket is held open and we close it), or the older engine's
/// close after the last final when no partial waits for its final and no uncovered sound is left. Results: <c>type</c> partial|final, <c>segment</c> (optional: without it
/// each final is its own segment), <c>startedAt</c> and word <c>startedAt</c> in <b>seconds</b>; words have start
/// times only (no end). Close codes (README, "Close codes"): 1008 policy, or authentication when its reason names the
/// key; 1011 engine unavailable (no streaming engine for the language: refused); 1013 overloaded (retried after
/// <c>retryAfterMs</c>).
/// </summary>
public sealed class VoxistProtocol : ProviderProtocol
{
    /// <summary>Token exchange path on the HTTP host of the WebSocket endpoint (README.md, "Auth").</summary>
    public const string TokenPath = "/websocket";
    /// <summary>The engine asked for with a temporary token when the <c>engine</c> option is not given (README.md,
    /// "Auth": the seed's documented value; the LiveKit plugin uses <c>voxist-rt</c>).</summary>
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
        // The seed allows 8000 or 16000; we stream 16 kHz by default, the engines being 16 kHz (README, "Audio").
        SampleRates = new[] { 16000, 8000 },
        Languages = new[] { "fr", "fr-medical", "fr-medicalV2-16", "fr-medicalV2-64", "en", "pt", "nl", "it", "sv", "es", "de" },
        // Closed: the server closes 1008 "Unsupported language" on any other (README, "Languages"). The aliases collapse to
        // the base language, fr-medicalV2-32 is fr-medical, and pl, ja, he, tr are recognised but have no streaming engine
        // (1011), which the server says better than we can: they are let through.
        LanguageAliases = new[] { "fr-FR", "en-US", "de-DE", "nl-NL", "fr-medicalV2-32", "pl", "ja", "he", "tr" },
        LanguagesClosed = true,
        // The seed's sample code defaults to "fr" (its README text says fr-medical); lang always goes in the URL (README, "Connection").
        DefaultLanguage = "fr",
        Options = new[]
        {
            new ProviderOption("engine", OptionKind.String, "Engine requested with the temporary token (seed: voxist-rt-2; the LiveKit plugin uses voxist-rt).", DefaultEngine),
            new ProviderOption("punctuation_mode", OptionKind.Enum, "Generated, or Dictated to turn spoken punctuation into marks (newer Voxist README).", null, new[] { "Generated", "Dictated" }),
            new ProviderOption("end_signal", OptionKind.Enum, "End of stream: both ({\"eof\":1} then Done; seed and newer samples), eof (seed) or done (newer samples).",
                "both", new[] { "both", "eof", "done" }),
        },
        Capabilities = ProviderCapabilities.PartialResults | ProviderCapabilities.WordStartTimes,
        WireTimeUnit = WireTimeUnit.Seconds,
        MaxChunkMilliseconds = 500, // the LiveKit plugin validates 50–500 ms (README.md, "Audio")
        EndOfStream = "{\"eof\":1} then the text frame Done (option end_signal); completion on the bare Done! ack (newer engine, socket held open) or the server's close",
    };

    /// <inheritdoc/>
    public override ProviderDescriptor Descriptor => Desc;

    /// <summary>The newer engine answers <c>Done</c> with its last final and a bare <c>Done!</c> text frame and holds the
    /// socket open; the older one closes (README, "Completion").</summary>
    public override CompletionMode Completion => CompletionMode.MessageOrServerClose;

    /// <summary>A key for one environment is refused by the other: the message says to check -Environment.</summary>
    public override string AuthenticationHint => " Staging and production keys differ: check -Environment.";

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

    /// <inheritdoc/>
    public override async Task<ConnectRequest> PrepareConnectAsync(ConnectContext c, CancellationToken ct)
    {
        var o = c.Options;
        string lang = c.Language; // resolved: the listed spelling, or the default
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

    /// <summary>Redirects followed at most when asking for a token, all on the endpoint's own origin.</summary>
    private const int MaxTokenRedirects = 3;

    private static async Task<Uri> ExchangeTokenAsync(ConnectContext c, string engine, CancellationToken ct)
    {
        var tokenUri = TokenUri(c.Endpoint, engine);
        c.Logger.LogDebug("Requesting a temporary Voxist token from {Uri}", tokenUri);
        var resp = await SendTokenRequestAsync(c, tokenUri, ct).ConfigureAwait(false);
        for (int hops = 0; IsRedirect(resp); hops++)
        {
            var target = resp.Headers.Location is { } loc ? new Uri(tokenUri, loc) : null;
            resp.Dispose();
            // The key travels in X-LVL-KEY: never to another origin, never over a downgraded scheme (README, "Auth").
            if (target is null || hops >= MaxTokenRedirects || !SameOrigin(tokenUri, target))
                throw new AsrException(AsrErrorKind.Provider, "TokenRedirectRefused",
                    $"Voxist's token endpoint {tokenUri} redirected to {(target is null ? "nowhere" : SecretRedactor.Redact(target))}; " +
                    $"the key is only sent to {tokenUri.GetLeftPart(UriPartial.Authority)}{(hops >= MaxTokenRedirects ? $" and at most {MaxTokenRedirects} redirects are followed" : "")}. Check -Endpoint/-Environment.")
                { Provider = Desc.Name };
            tokenUri = target;
            resp = await SendTokenRequestAsync(c, tokenUri, ct).ConfigureAwait(false);
        }
        using var _ = resp;
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
        if (c.Endpoint.Scheme == "wss" && uri.Scheme != "wss")
            throw new AsrException(AsrErrorKind.Provider, "TokenResponseInvalid",
                $"Voxist's token endpoint {tokenUri} answered with an unencrypted ws:// URL for a wss:// endpoint; the token is not sent in clear.") { Provider = Desc.Name };
        // The token is a secret from now on: never show it.
        foreach (var part in uri.Query.TrimStart('?').Split('&'))
            if (part.StartsWith("token=", StringComparison.Ordinal)) SecretRedactor.Register(Uri.UnescapeDataString(part[6..]));
        return uri;
    }

    private static async Task<HttpResponseMessage> SendTokenRequestAsync(ConnectContext c, Uri uri, CancellationToken ct)
    {
        using var req = new HttpRequestMessage(HttpMethod.Get, uri);
        req.Headers.TryAddWithoutValidation("accept", "application/json");
        req.Headers.TryAddWithoutValidation("X-LVL-KEY", c.ApiKey.Reveal());
        return await c.Http.SendAsync(req, ct).ConfigureAwait(false);
    }

    private static bool IsRedirect(HttpResponseMessage r) => (int)r.StatusCode is 301 or 302 or 303 or 307 or 308;

    /// <summary>Same scheme, host and port: a redirect the key may follow.</summary>
    public static bool SameOrigin(Uri from, Uri to) =>
        from.Scheme.Equals(to.Scheme, StringComparison.OrdinalIgnoreCase) && from.Host.Equals(to.Host, StringComparison.OrdinalIgnoreCase) && from.Port == to.Port;

    /// <summary>The <c>exp</c> claim (Unix seconds) of the JWT in a token URL's <c>token</c> parameter; null when
    /// absent or unreadable. The token lasts 1 hour (seed 000_…; README, "Auth": refresh 300 s early).</summary>
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

    /// <summary>The end-of-stream frames for option <c>end_signal</c> (README, "End of stream").</summary>
    public override IReadOnlyList<OutgoingFrame> EndOfStream(ConnectContext context) =>
        (context.Option(Desc, "end_signal") ?? "both").ToLowerInvariant() switch
        {
            "eof" => new[] { OutgoingFrame.Text("{\"eof\":1}") },
            "done" => new[] { OutgoingFrame.Text("Done") },
            _ => new[] { OutgoingFrame.Text("{\"eof\":1}"), OutgoingFrame.Text("Done") },
        };

    /// <inheritdoc/>
    public override IMessageParser CreateParser(ParserContext context) => new Parser();

    /// <summary>Voxist's reading of close codes where its documents say more than the engine's table (README,
    /// "Close codes").</summary>
    protected override CloseVerdict? OverrideClose(int code, string? reason, bool endOfStreamSent)
    {
        string why = string.IsNullOrWhiteSpace(reason) ? "" : $": {reason}";
        string text = reason ?? "";
        switch (code)
        {
            case 1008 when CloseCodes.MentionsCredentials(reason) && text.Contains("expired", StringComparison.OrdinalIgnoreCase):
                // A token that expired mid-session: a fresh one fixes it (the LiveKit plugin re-exchanges once).
                return new CloseVerdict(CloseKind.Transient, new AsrException(AsrErrorKind.Connection, "VoxistTokenExpired",
                    $"Voxist closed the connection (1008{why}); reconnecting with a fresh token.") { Provider = Desc.Name, CloseCode = code, IsTransient = true });
            case 1008 when CloseCodes.MentionsCredentials(reason):
                return CloseCodes.Authentication(Desc.Name, code, reason);
            case 1003 or 1008 when endOfStreamSent && RefusesEndFrame(text):
                // A server that answered the first end frame and refuses the second (a seed-era server seeing Done):
                // the close still ends an answered stream.
                return new CloseVerdict(CloseKind.NormalAfterEnd, new AsrException(AsrErrorKind.Provider, "VoxistRefusedEndFrame",
                    $"Voxist refused an end-of-stream frame ({code}{why}).") { Provider = Desc.Name, CloseCode = code });
            case 1008:
                return new CloseVerdict(CloseKind.Refused, new AsrException(AsrErrorKind.Provider, "VoxistPolicyViolation",
                    $"Voxist closed the connection (1008{why}): unsupported language, a model the account is not entitled to, or the account's rate limit.")
                { Provider = Desc.Name, CloseCode = code });
            case 1011 when text.Contains("engine", StringComparison.OrdinalIgnoreCase) && text.Contains("no ", StringComparison.OrdinalIgnoreCase):
                return new CloseVerdict(CloseKind.Refused, new AsrException(AsrErrorKind.Provider, "VoxistEngineUnavailable",
                    $"Voxist closed the connection (1011{why}): this language has no streaming engine (e.g. sv).") { Provider = Desc.Name, CloseCode = code });
            case 1013:
                return new CloseVerdict(CloseKind.Transient, new AsrException(AsrErrorKind.Connection, "VoxistOverloaded",
                    $"Voxist is at capacity (1013{why}).") { Provider = Desc.Name, CloseCode = code, IsTransient = true, RetryAfter = RetryAfterMs(reason) ?? TimeSpan.FromSeconds(3) });
            default:
                return null;
        }
    }

    private static bool RefusesEndFrame(string reason) =>
        reason.Contains("Done", StringComparison.Ordinal) || reason.Contains("eof", StringComparison.OrdinalIgnoreCase)
        || reason.Contains("unknown", StringComparison.OrdinalIgnoreCase) || reason.Contains("unexpected", StringComparison.OrdinalIgnoreCase);

    /// <summary><c>retryAfterMs</c> from a 1013 reason <c>{"error":"server_overloaded","retryAfterMs":3000}</c>.</summary>
    private static TimeSpan? RetryAfterMs(string? reason)
    {
        if (reason is null || !reason.TrimStart().StartsWith('{')) return null;
        try
        {
            using var doc = JsonDocument.Parse(reason);
            return doc.RootElement.Num("retryAfterMs") is double ms ? TimeSpan.FromMilliseconds(Math.Clamp(ms, 0, 60_000)) : null;
        }
        catch (JsonException) { return null; }
    }

    /// <summary>The completion acknowledgement: a non-JSON text frame starting with <c>Done</c> (<c>Done!</c>), as the
    /// LiveKit plugin matches it (README, "Completion"). The session counts it only after our end of stream.</summary>
    public static bool IsDoneAck(string text) => text.AsSpan().TrimStart().StartsWith("Done", StringComparison.Ordinal);

    /// <summary>Parses Voxist result frames. <c>{"status":"connected"}</c> and unknown frames are ignored; a bare
    /// <c>Done!</c> marks completion; <c>{"type":"error"}</c> (LiveKit plugin) becomes an error read through the
    /// engine's table (<see cref="CloseCodes.ErrorFrame"/>).</summary>
    private sealed class Parser : JsonObjectParser
    {
        protected override ParsedMessage ReadOther(string text) =>
            IsDoneAck(text) ? new ParsedMessage { Complete = true } : ParsedMessage.Ignored;

        protected override ParsedMessage Read(JsonElement root)
        {
            string? type = root.Str("type");
            if (type == "error")
                return ParsedMessage.Failed(CloseCodes.ErrorFrame(Desc.Name, "VoxistError", root.StrOrNum("code"),
                    root.Str("message") ?? root.Str("error") ?? "no message"));
            if (type is not ("partial" or "final")) return ParsedMessage.Ignored;
            string txt = root.Str("text") ?? root.Str("transcript") ?? "";
            // README, "Segments": without a segment field (the LiveKit plugin's mock) each final is its own segment.
            string? segment = root.Num("segment") is double n ? ((long)n).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
            var words = new List<TranscriptWord>();
            if (root.Obj("elements") is { } el)
                foreach (var w in el.Arr("words"))
                    if (w.Str("text") is { Length: > 0 } wt)
                        words.Add(new TranscriptWord(wt, w.Num("startedAt"), null, w.Num("confidence")));
            // startedAt on the segment is approximate (0 in the seed's example while its words start at 1.28 s):
            // the first word's start is the reliable time (README, "Results").
            double? start = words.Count > 0 ? words[0].Start : root.Num("startedAt");
            var msg = new ParsedMessage();
            msg.Results.Add(new ProviderResult(segment, type == "final",
                txt, start, null, words, root.Num("confidence")));
            return msg;
        }
    }
}
