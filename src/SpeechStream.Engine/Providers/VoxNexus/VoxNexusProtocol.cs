using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using SpeechStream.Engine.Sessions;
using SpeechStream.Engine.Transcripts;

namespace SpeechStream.Engine.Providers.VoxNexus;

/// <summary>
/// VoxNexus realtime STT (seed <c>003_56513c45535a0b7d.txt</c>; the protocol notes and the choices made are in this
/// folder's README.md).
/// Auth: <c>?token=KEY</c> (default, the seed's recommendation) or header <c>X-Api-Key</c>. Handshake: the JSON
/// <c>init</c> message (<c>language</c>, <c>format</c> "pcm", <c>sample_rate</c>, <c>enable_timestamps</c>,
/// <c>enable_language_detection</c>, and <c>model_id</c> only when set), then wait up to 10 s for <c>ready</c>
/// before any audio. Audio: <b>JSON text frames</b> <c>{"type":"audio","data":"&lt;base64 PCM s16le&gt;"}</c>,
/// 100 ms each. End of stream: <c>{"type":"command","command":"flush"}</c>; completion on <c>flush_done</c>, then
/// the completion grace, then the client closes with 1000. Segments are numbered only where <c>segment_id</c> is sent. Results: <c>transcript</c> frames with <c>is_final</c>; <c>offset</c> and
/// <c>duration</c> (segment and words) are <b>milliseconds</b> and are normalised to seconds here.
/// <c>error</c> frames (<c>error</c>, <c>code</c>) become errors that keep the code in <see cref="AsrException.ProviderCode"/>.
/// </summary>
public sealed class VoxNexusProtocol : ProviderProtocol
{
    /// <summary>How long to wait for <c>ready</c> after <c>init</c> (README, "Handshake").</summary>
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The TTS endpoint beside the STT one (seed 003_…).</summary>
    public static readonly Uri TtsEndpoint = new("wss://api.voxnexus.ai/v1/tts/realtime");

    internal static readonly ProviderDescriptor Desc = new()
    {
        Name = "VoxNexus",
        SeedDocument = "003_56513c45535a0b7d.txt",
        Endpoints = new[] { new ProviderEndpoint("Production", new Uri("wss://api.voxnexus.ai/v1/stt/realtime")) },
        AuthModes = new[] { "token", "header" },
        ApiKeyVariable = "VOXNEXUS_API_KEY",
        // The seed shows 16000 only; the REST guide lists these ([VN3]).
        SampleRates = new[] { 16000, 8000, 22050, 44100, 48000 },
        // The seed names BCP-47 codes by example only; 'auto' turns on language detection instead.
        Languages = new[] { "en-US", "zh-CN", "auto" },
        DefaultLanguage = "en-US",
        Options = new[]
        {
            new ProviderOption("language_detection", OptionKind.Bool, "enable_language_detection in init (on by itself with -Language auto).", "false"),
        },
        Capabilities = ProviderCapabilities.PartialResults | ProviderCapabilities.WordStartTimes | ProviderCapabilities.WordEndTimes
                       | ProviderCapabilities.Confidence | ProviderCapabilities.LanguageDetection,
        Parameters = CommonParameters.Model | CommonParameters.WordTimestamps,
        Models = new[] { "vn-stt-basic", "vn-stt-ultra" },
        WireTimeUnit = WireTimeUnit.Milliseconds,
        ChunkMilliseconds = 100,
        MaxChunkMilliseconds = 200, // the seed recommends 100–200 ms chunks (README.md, "Audio")
        AudioFraming = "base64 PCM s16le in JSON text frames {\"type\":\"audio\",\"data\":…}",
        EndOfStream = "{\"type\":\"command\",\"command\":\"flush\"}; completion on flush_done, then the client closes",
    };

    /// <inheritdoc/>
    public override ProviderDescriptor Descriptor => Desc;

    /// <inheritdoc/>
    public override CompletionMode Completion => CompletionMode.Message;

    /// <inheritdoc/>
    public override Task<ConnectRequest> PrepareConnectAsync(ConnectContext c, CancellationToken ct) =>
        Task.FromResult(BuildRequest(c.Endpoint, c.AuthMode, c.ApiKey));

    /// <summary>The upgrade request for STT or TTS: <c>?token=</c> or the <c>X-Api-Key</c> header.</summary>
    internal static ConnectRequest BuildRequest(Uri endpoint, string authMode, Diagnostics.Secret key)
    {
        if (authMode == "header")
        {
            var r = new ConnectRequest { Uri = endpoint };
            r.Headers["X-Api-Key"] = key.Reveal();
            return r;
        }
        return new ConnectRequest { Uri = WithQuery(endpoint, new[] { "token=" + Uri.EscapeDataString(key.Reveal()) }) };
    }

    /// <summary>The <c>init</c> message. <c>model_id</c> only when set (ambiguity 2); language "auto" sends no
    /// language and turns on detection (ambiguity 5).</summary>
    public static string InitMessage(ConnectContext c)
    {
        var o = c.Options;
        bool auto = c.Language.Equals("auto", StringComparison.OrdinalIgnoreCase) || c.Language.Length == 0;
        var init = new VoxNexusSttInit
        {
            Language = auto ? null : c.Language,
            SampleRate = c.SampleRate,
            EnableTimestamps = o.WordTimestamps ?? true,
            EnableLanguageDetection = auto || string.Equals(c.Option(Desc, "language_detection"), "true", StringComparison.OrdinalIgnoreCase),
            ModelId = string.IsNullOrWhiteSpace(o.Model) ? null : o.Model.Trim(),
        };
        return JsonSerializer.Serialize(init, VoxNexusJsonContext.Default.VoxNexusSttInit);
    }

    /// <inheritdoc/>
    public override Task HandshakeAsync(ProtocolSocket socket, ConnectContext context, CancellationToken ct) =>
        SendInitAndWaitReadyAsync(socket, InitMessage(context), context.Logger, ct);

    /// <summary>Sends <c>init</c> and reads frames until <c>ready</c> (10 s at most). Used by STT and TTS.</summary>
    /// <returns>The ready frame (a detached copy): <c>request_id</c>, <c>sample_rate</c>, …</returns>
    /// <exception cref="AsrException">An <c>error</c> frame (with its code), a close, or no ready within 10 s (Timeout).</exception>
    internal static async Task<JsonElement> SendInitAndWaitReadyAsync(ProtocolSocket socket, string init, Microsoft.Extensions.Logging.ILogger log, CancellationToken ct)
    {
        await socket.SendTextAsync(init, ct).ConfigureAwait(false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ReadyTimeout);
        try
        {
            while (true)
            {
                var frame = await socket.ReceiveAsync(timeout.Token).ConfigureAwait(false);
                if (frame.Type == WebSocketMessageType.Close)
                {
                    var ws = socket.WebSocket;
                    int code = (int)(ws.CloseStatus ?? 0);
                    if (code == 1008 && Sessions.CloseCodes.MentionsCredentials(ws.CloseStatusDescription))
                        throw Sessions.CloseCodes.Authentication(Desc.Name, code, ws.CloseStatusDescription).Error;
                    throw new AsrException(AsrErrorKind.Provider, "VoxNexusClosedBeforeReady",
                        $"VoxNexus closed the connection ({code} {ws.CloseStatusDescription}) before answering init with ready.")
                    { Provider = Desc.Name, CloseCode = code };
                }
                if (frame.Type != WebSocketMessageType.Text || frame.Oversized) continue;
                using var doc = TryParseJson(frame.Text);
                if (doc is null) continue;
                var root = doc.RootElement;
                switch (root.Str("type"))
                {
                    case "ready": return root.Clone();
                    case "error": throw ErrorFrom(root);
                    default:
                        Microsoft.Extensions.Logging.LoggerExtensions.LogDebug(log, "Ignored a frame before ready: {Frame}", frame.Text);
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new AsrException(AsrErrorKind.Timeout, "VoxNexusReadyTimeout",
                $"VoxNexus did not answer init with ready within {ReadyTimeout.TotalSeconds:0} s.") { Provider = Desc.Name, IsTransient = true };
        }
    }

    /// <summary>An <c>error</c> frame as an exception keeping its <c>code</c>: <c>error</c> or <c>message</c> (a
    /// third-party client reads both; README, "Errors"), read through the engine's table
    /// (<see cref="Sessions.CloseCodes.ErrorFrame"/>); a documented authentication code is authentication.</summary>
    internal static AsrException ErrorFrom(JsonElement root)
    {
        string? code = root.StrOrNum("code");
        string message = root.Str("error") ?? root.Str("message") ?? "no message";
        if (code is "UNAUTHORIZED" or "INVALID_API_KEY" or "AUTHENTICATION_FAILED")
            return new AsrException(AsrErrorKind.Authentication, "AuthenticationFailed", $"VoxNexus reported an error ({code}): {message}")
            { Provider = Desc.Name, ProviderCode = code };
        if (code is "VOICE_NOT_FOUND") // TTS: the voice named is the user's input
            return new AsrException(AsrErrorKind.InvalidInput, "VoxNexusError", $"VoxNexus reported an error ({code}): {message}")
            { Provider = Desc.Name, ProviderCode = code };
        return Sessions.CloseCodes.ErrorFrame(Desc.Name, "VoxNexusError", code, message);
    }

    /// <inheritdoc/>
    public override OutgoingFrame EncodeAudio(ReadOnlyMemory<byte> pcm) =>
        OutgoingFrame.Text("{\"type\":\"audio\",\"data\":\"" + Convert.ToBase64String(pcm.Span) + "\"}");

    /// <inheritdoc/>
    public override IReadOnlyList<OutgoingFrame> EndOfStream(ConnectContext context) =>
        new[] { OutgoingFrame.Text("{\"type\":\"command\",\"command\":\"flush\"}") };

    /// <inheritdoc/>
    public override IMessageParser CreateParser(ParserContext context) => new Parser();

    /// <summary>VoxNexus documents no close codes; its seed client treats every close but 1000 as unexpected and
    /// reconnects (seed 003_…, README "Close codes"), so every code but 1000/1005 and 1008 is transient here.</summary>
    protected override CloseVerdict? OverrideClose(int code, string? reason, bool endOfStreamSent) =>
        code is 1000 or 1005 or 1008 ? null
            : new CloseVerdict(CloseKind.Transient, new AsrException(AsrErrorKind.Connection, code == 1006 ? "ConnectionLost" : "VoxNexusClosed",
                $"VoxNexus closed the connection ({code}{(string.IsNullOrWhiteSpace(reason) ? "" : $": {reason}")}){(endOfStreamSent ? " before flush_done" : "")}.")
            { Provider = Desc.Name, CloseCode = code, IsTransient = true });

    /// <summary>Milliseconds (int, per the seed) to seconds.</summary>
    private static double? Seconds(double? ms) => ms is double v ? Math.Round(v / 1000.0, 3) : null;

    private sealed class Parser : JsonObjectParser
    {
        protected override ParsedMessage Read(JsonElement root)
        {
            switch (root.Str("type"))
            {
                case "flush_done": return new ParsedMessage { Complete = true };
                case "error": return ParsedMessage.Failed(ErrorFrom(root));
                case "transcript": break;
                default: return ParsedMessage.Ignored; // ready, llm, pong, unknown
            }
            bool isFinal = root.Bool("is_final") == true;
            // Words and confidence are only valid on finals (seed); ambiguity 8: accept start_time_ms/end_time_ms too.
            var words = new List<TranscriptWord>();
            if (isFinal)
                foreach (var w in root.Arr("words"))
                {
                    if (w.Str("word") is not { Length: > 0 } wt) continue;
                    double? start = w.Num("offset") ?? w.Num("start_time_ms");
                    double? end = w.Num("end_time_ms") ?? (start + w.Num("duration"));
                    words.Add(new TranscriptWord(wt, Seconds(start), Seconds(end), w.Num("confidence")));
                }
            double? offset = root.Num("offset"), duration = root.Num("duration");
            return ParsedMessage.Of(new ProviderResult(root.Str("segment_id"), isFinal, root.Str("text") ?? "",
                Seconds(offset) ?? words.FirstOrDefault()?.Start, Seconds(offset + duration) ?? words.LastOrDefault()?.End,
                words, isFinal ? root.Num("confidence") : null, root.Str("language")));
        }
    }
}
