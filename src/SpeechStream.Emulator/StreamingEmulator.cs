using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace SpeechStream.Emulator;

/// <summary>
/// The loop every STT emulator shares: check faults and credentials, upgrade, let the provider open the stream
/// (configuration, handshake), then read frames — audio feeds the recogniser, whose results go out as it hears them;
/// the end of stream sends the last finals and the provider's completion once the recogniser has heard everything —
/// while recording protocol violations (a WAV header sent as audio, audio after the end of stream, a close or drop
/// without end of stream, frames of the wrong type) and putting on the faults of its options. Each provider supplies
/// only what its seed document specifies.
/// </summary>
internal abstract partial class StreamingEmulator : ProviderEmulator
{
    /// <summary>How often a recogniser slower than the upload is advanced.</summary>
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(50);

    private int _closeFaults, _dropFaults, _drainDrops, _protocolFaults, _floods, _hostile, _unfinished;

    /// <summary>An emulator behaving as <paramref name="options"/> say; the options object is shared with every
    /// connection and may be changed by <see cref="TryUseScript"/>.</summary>
    protected StreamingEmulator(EmulatorOptions options) => Options = options;

    /// <summary>How this emulator behaves (script, faults, provider settings).</summary>
    protected EmulatorOptions Options { get; }

    /// <summary>Replays <paramref name="script"/> from now on when no script was given and no audio has arrived yet
    /// (a session opened before its file was named: <c>Connect-AsrSession -Emulate</c>, then <c>Send-AsrAudio -Path</c>).</summary>
    /// <returns>False when a script was already set or audio already arrived: the replay goes on as it was.</returns>
    public override bool TryUseScript(EmulatorServer server, TranscriptScript script)
    {
        lock (Options)
        {
            if (Options.Script is not null || server.Connections.Any(c => Interlocked.Read(ref c.AudioBytes) > 0)) return false;
            Options.Script = script;
            return true;
        }
    }

    /// <summary>True when audio travels in text frames (VoxNexus): a binary frame is then a violation.</summary>
    protected virtual bool AudioInTextFrames => false;

    /// <summary>True when the protocol has no end-of-stream message (Speechall): a client close ends the stream,
    /// and the emulator flushes its finals after <see cref="IdleFlush"/> without audio.</summary>
    protected virtual bool NoEndOfStreamMessage => false;

    /// <summary>Silence after which a protocol without end-of-stream message flushes its finals.</summary>
    protected virtual TimeSpan IdleFlush => TimeSpan.FromSeconds(1);

    /// <summary>Whether this emulator serves a WebSocket at <paramref name="path"/>.</summary>
    protected virtual bool ServesPath(string path) => path == WebSocketPath;

    /// <summary>Plain HTTP requests (a token exchange). Default: 404.</summary>
    protected virtual Task HandleHttpAsync(EmulatorServer server, HttpRequestHead req, Stream stream) =>
        server.RespondAsync(stream, 404, "{\"error\":\"Not found\"}", request: req);

    /// <summary>Checks the upgrade's credentials: null to accept, or the HTTP status and body to refuse it with.</summary>
    protected abstract (int Status, string Body)? CheckAuth(EmulatorServer server, HttpRequestHead req);

    /// <summary>After the upgrade: validates the configuration and runs any handshake. Returns the sample rate of
    /// the audio to expect, or null when the emulator has closed the connection.</summary>
    protected abstract Task<int?> OpenAsync(EmulatedStream s, CancellationToken ct);

    /// <summary>What a text frame from the client means.</summary>
    protected abstract TextMeaning ClassifyText(EmulatedStream s, string text);

    /// <summary>Sends one result the recogniser made due, in the provider's shape.</summary>
    protected abstract Task SendResultAsync(EmulatedStream s, EmittedResult result, CancellationToken ct);

    /// <summary>Sends the provider's completion signal, if its protocol has one (a marker frame; Voxist's is its close).</summary>
    protected abstract Task SendCompletionAsync(EmulatedStream s, CancellationToken ct);

    /// <summary>Sends the last finals, then the completion signal. Smallest overrides it to mark the last final itself.</summary>
    protected virtual async Task SendLastAsync(EmulatedStream s, IReadOnlyList<EmittedResult> last, CancellationToken ct)
    {
        foreach (var e in last) await SendResultAsync(s, e, ct).ConfigureAwait(false);
        await SendCompletionAsync(s, ct).ConfigureAwait(false);
    }

    /// <summary>A flush that is not the end of stream (Smallest's wrong end message on a strict endpoint).</summary>
    protected virtual Task FlushAsync(EmulatedStream s, CancellationToken ct) => Task.CompletedTask;

    /// <summary>True when the provider closes the connection itself after completing (Voxist); false: the client closes.</summary>
    protected virtual bool ServerClosesAfterCompletion => false;

    /// <summary>A second end-of-stream frame after the first was answered (Voxist's eof then Done): true when the
    /// emulator closed the connection over it.</summary>
    protected virtual Task<bool> OnRepeatedEndAsync(EmulatedStream s, string text) => Task.FromResult(false);

    /// <summary>When the connection's credential expires (Voxist tokens); the emulator then closes with 1008.</summary>
    protected virtual DateTimeOffset? CredentialExpiry(HttpRequestHead req) => null;

    /// <summary>The provider's error frame, for the error fault; null when its protocol has none.</summary>
    protected virtual string? ErrorFrame(string code, string message) => null;

    /// <summary>A partial result of the flood fault, number <paramref name="i"/>; null when the provider has no partials.</summary>
    protected virtual EmittedResult? FloodPartial(EmulatedStream s, int i) =>
        new(EmulatorProfiles.NumbersSegments(Provider) ? 1_000_000 + i : Math.Max(0, s.LastSegmentSent),
            false, new[] { new ScriptWord($"flood{i}", 0.5, 0.6) });

    /// <inheritdoc/>
    public sealed override async Task HandleAsync(EmulatorServer server, HttpRequestHead req, Stream stream, CancellationToken ct)
    {
        if (!req.IsWebSocket)
        {
            await HandleHttpAsync(server, req, stream).ConfigureAwait(false);
            return;
        }
        if (!ServesPath(req.Path))
        {
            await server.RespondAsync(stream, 404, "{\"error\":\"Not found\"}", request: req).ConfigureAwait(false);
            return;
        }
        if (server.ShouldReject(Options.Faults))
        {
            var h = Options.Faults.RejectRetryAfterSeconds is int ra ? new Dictionary<string, string> { ["Retry-After"] = ra.ToString() } : null;
            await server.RespondAsync(stream, Options.Faults.RejectStatus, "{\"error\":\"injected\"}", headers: h, request: req).ConfigureAwait(false);
            return;
        }
        if (Options.Faults.HandshakeDelay > TimeSpan.Zero) await Task.Delay(Options.Faults.HandshakeDelay, ct).ConfigureAwait(false);
        if (CheckAuth(server, req) is { } refusal)
        {
            await server.RespondAsync(stream, refusal.Status, refusal.Body, request: req).ConfigureAwait(false);
            return;
        }
        var ws = await server.AcceptWebSocketAsync(stream, req).ConfigureAwait(false);
        var rec = new EmulatedConnection { Path = req.Path, Query = req.Query, Headers = req.Headers, RawQuery = req.RawQuery };
        server.Connections.Enqueue(rec);
        await HandleWebSocketAsync(server, ws, req, rec, ct).ConfigureAwait(false);
    }

    /// <summary>Runs an accepted WebSocket. Emulators with a second channel (VoxNexus TTS) override it.</summary>
    protected virtual async Task HandleWebSocketAsync(EmulatorServer server, WebSocket ws, HttpRequestHead req, EmulatedConnection rec, CancellationToken ct)
    {
        var s = new EmulatedStream(server, ws, rec, Options, req);
        var f = Options.Faults;
        if (f.CloseAfterUpgradeReason is { } authReason)
        {
            await s.CloseAsync(1008, authReason).ConfigureAwait(false);
            await s.AwaitCloseAckAsync().ConfigureAwait(false);
            return;
        }
        if (await OpenAsync(s, ct).ConfigureAwait(false) is not int rate) return;
        s.Start(rate);
        var my = new ConnectionFaults
        {
            Close = f.CloseAfterAudioSeconds is not null && Interlocked.Increment(ref _closeFaults) <= f.CloseTimes,
            Drop = f.DropAfterAudioSeconds is not null && Interlocked.Increment(ref _dropFaults) <= f.DropTimes,
            DropAtEnd = f.DropAtEndOfStreamTimes > 0 && Interlocked.Increment(ref _drainDrops) <= f.DropAtEndOfStreamTimes,
            ProtocolFault = (f.InvalidUtf8AfterAudioSeconds ?? f.OversizedFrameAfterAudioSeconds) is not null && Interlocked.Increment(ref _protocolFaults) <= f.ProtocolFaultTimes,
            Flood = f.PartialFloodAfterAudioSeconds is not null && Interlocked.Increment(ref _floods) == 1,
            Hostile = f.HostileFramesAfterAudioSeconds is not null && Interlocked.Increment(ref _hostile) == 1,
            CloseWithoutCompletion = f.CloseWithoutCompletion && (f.CloseWithoutCompletionTimes == 0 || Interlocked.Increment(ref _unfinished) <= f.CloseWithoutCompletionTimes),
        };
        await new ConnectionLoop(this, s, my, CredentialExpiry(req)).RunAsync(ct).ConfigureAwait(false);
    }

    /// <summary>True when the JSON object in <paramref name="text"/> has <paramref name="name"/> equal to <paramref name="value"/>.</summary>
    protected static bool JsonHas(string text, string name, string value)
    {
        try
        {
            using var d = JsonDocument.Parse(text);
            return d.RootElement.ValueKind == JsonValueKind.Object && d.RootElement.TryGetProperty(name, out var v)
                   && v.ValueKind == JsonValueKind.String && v.GetString() == value;
        }
        catch (JsonException) { return false; }
    }

    /// <summary><paramref name="s"/> cut to 80 characters and an ellipsis, for quoting a frame in a violation or reason.</summary>
    protected static string Truncate(string s) => s.Length <= 80 ? s : s[..80] + "…";

    /// <summary>The bearer token of an <c>Authorization</c> header, if any.</summary>
    protected static string? Bearer(HttpRequestHead req) =>
        req.Header("Authorization") is { } a && a.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? a[7..].Trim() : null;

    /// <summary>The request's query, from its <c>?</c>, with secrets (keys, tokens) redacted, for quoting in a violation.</summary>
    protected static string Redacted(HttpRequestHead req) => SpeechStream.Engine.Diagnostics.SecretRedactor.Redact("?" + req.RawQuery);
}
