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
public abstract class StreamingEmulator : ProviderEmulator
{
    /// <summary>How often a recogniser slower than the upload is advanced.</summary>
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(50);

    private int _closeFaults, _dropFaults, _drainDrops, _protocolFaults, _floods, _hostile;

    protected StreamingEmulator(EmulatorOptions options) => Options = options;

    protected EmulatorOptions Options { get; }

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

    /// <summary>What this connection does wrong, decided when it opens (counts are per server).</summary>
    private sealed class ConnectionFaults
    {
        public bool Close, Drop, DropAtEnd, ProtocolFault, Flood, Hostile;
        public bool Stalled, ErrorSent, HostileSent, FloodSent, Utf8Sent, OversizedSent;
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
        };
        bool idleFlushed = false, completed = false;
        double lastFrameAt = s.Elapsed, lastAudioAt = s.Elapsed, closedAt = double.NaN; // closedAt: when we sent our close
        bool Closing() => !double.IsNaN(closedAt);
        async Task CloseAsync(int code, string reason)
        {
            await s.CloseAsync(code, reason).ConfigureAwait(false);
            closedAt = s.Elapsed; // the loop reads on until the client's close (5 s at most)
        }
        var expiry = CredentialExpiry(req);
        var buf = new byte[64 * 1024];
        Task<(WebSocketMessageType Type, int Length)>? pending = null;
        while (true)
        {
            pending ??= ReceiveWholeAsync(ws, () => buf, b => buf = b, ct);
            var wake = Closing() ? TimeSpan.FromSeconds(Math.Max(0.01, 5 - (s.Elapsed - closedAt)))
                : NextWake(s, my, rec.EndOfStreamReceived, completed, idleFlushed, lastFrameAt, lastAudioAt);
            if (wake is TimeSpan w && await Task.WhenAny(pending, Task.Delay(w, ct)).ConfigureAwait(false) != pending)
            {
                if (Closing()) return; // the client never answered our close
                if (f.IdleTimeoutSeconds is double idle && s.Elapsed - lastFrameAt >= idle)
                {
                    await CloseAsync(1008, "idle timeout").ConfigureAwait(false);
                    continue;
                }
                if (!my.Stalled) await SendDueAsync(s, ct).ConfigureAwait(false);
                if (rec.EndOfStreamReceived && !completed && s.CaughtUp)
                {
                    completed = true;
                    if (await CompleteAsync(s, my, ct).ConfigureAwait(false)) closedAt = s.Elapsed;
                }
                else if (NoEndOfStreamMessage && !idleFlushed && rec.AudioBytes > 0 && s.Elapsed - lastAudioAt >= IdleFlush.TotalSeconds
                         && (s.CaughtUp || f.CloseWithoutCompletion || my.DropAtEnd))
                {
                    // The client stopped sending: its end of stream, as far as this protocol can tell (Speechall README,
                    // "End of stream"). Flush what is owed, unless a fault says otherwise.
                    idleFlushed = true;
                    if (my.DropAtEnd)
                    {
                        rec.Ending = "dropped at the end of stream by fault";
                        ws.Abort();
                        return;
                    }
                    if (f.CloseWithoutCompletion)
                    {
                        await CloseAsync(1000, "").ConfigureAwait(false);
                        continue;
                    }
                    if (!f.StallAfterEndOfStream && !my.Stalled)
                        foreach (var e in s.Finish()) await SendResultAsync(s, e, ct).ConfigureAwait(false);
                }
                continue;
            }
            (WebSocketMessageType type, int len) frame;
            try { frame = await pending.ConfigureAwait(false); }
            catch (WebSocketException)
            {
                if (!rec.EndOfStreamReceived && !NoEndOfStreamMessage) server.Violation("connection dropped without end of stream");
                rec.Ending = "dropped";
                return;
            }
            pending = null;
            lastFrameAt = s.Elapsed;
            if (Closing())
            {
                // After our close: the client's close ends the exchange; audio meanwhile is in flight, text is recorded.
                if (frame.type == WebSocketMessageType.Close) { rec.ClientCloseCode = ws.CloseStatus is { } c ? (int)c : null; return; }
                if (frame.type == WebSocketMessageType.Text) rec.TextFrames.Enqueue(Encoding.UTF8.GetString(buf, 0, frame.len));
                else if (rec.EndOfStreamReceived) server.Violation("audio received after the end of stream");
                continue;
            }
            if (expiry is DateTimeOffset exp && DateTimeOffset.UtcNow >= exp && frame.type != WebSocketMessageType.Close)
            {
                await CloseAsync(1008, "Token expired").ConfigureAwait(false);
                continue;
            }
            if (frame.type == WebSocketMessageType.Close)
            {
                rec.ClientCloseCode = ws.CloseStatus is { } cs ? (int)cs : null;
                if (!rec.EndOfStreamReceived && !NoEndOfStreamMessage) server.Violation("client closed the connection without end of stream");
                // No end-of-stream message: the client's close ends the stream; flush what is owed first.
                if (NoEndOfStreamMessage && !idleFlushed && rec.AudioBytes > 0)
                    foreach (var e in s.Finish()) await SendResultAsync(s, e, ct).ConfigureAwait(false);
                rec.Ending ??= "client-close";
                try { await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", ct).ConfigureAwait(false); } catch (WebSocketException) { }
                return;
            }
            byte[]? audio = null;
            if (frame.type == WebSocketMessageType.Binary)
            {
                if (AudioInTextFrames) server.Violation($"a binary frame of {frame.len} bytes where JSON audio frames were expected");
                else audio = buf.AsSpan(0, frame.len).ToArray(); // kept: the stream's history holds it
            }
            else
            {
                string text = Encoding.UTF8.GetString(buf, 0, frame.len);
                var meaning = ClassifyText(s, text);
                if (meaning.Kind != TextKind.Audio) rec.TextFrames.Enqueue(text);
                if (meaning.Violation is not null) server.Violation(meaning.Violation);
                if (meaning.Kind == TextKind.Audio) audio = meaning.Audio;
                else if (meaning.Kind == TextKind.Flush) await FlushAsync(s, ct).ConfigureAwait(false);
                else if (meaning.Kind == TextKind.EndOfStream && rec.EndOfStreamReceived)
                {
                    if (await OnRepeatedEndAsync(s, text).ConfigureAwait(false)) closedAt = s.Elapsed;
                }
                else if (meaning.Kind == TextKind.EndOfStream)
                {
                    rec.EndOfStreamReceived = true;
                    if (my.DropAtEnd)
                    {
                        rec.Ending = "dropped at the end of stream by fault";
                        ws.Abort();
                        return;
                    }
                    if (f.StallAfterEndOfStream || my.Stalled) continue; // keep reading, never answer
                    if (f.CloseWithoutCompletion)
                    {
                        await CloseAsync(1000, "").ConfigureAwait(false);
                        continue;
                    }
                    if (f.CompletionDelay > TimeSpan.Zero) await Task.Delay(f.CompletionDelay, ct).ConfigureAwait(false);
                    if (s.CaughtUp)
                    {
                        completed = true;
                        if (await CompleteAsync(s, my, ct).ConfigureAwait(false)) closedAt = s.Elapsed;
                    }
                }
            }
            if (audio is null) continue;
            idleFlushed = false;
            lastAudioAt = s.Elapsed;
            s.OnAudio(audio);
            my.Stalled |= f.StallAfterAudioSeconds is double st && s.AudioSeconds >= st;
            if (!my.Stalled && !rec.EndOfStreamReceived) await SendDueAsync(s, ct).ConfigureAwait(false);
            switch (await ApplyAudioFaultsAsync(s, my, ct).ConfigureAwait(false))
            {
                case FaultEnd.Dropped: return;
                case FaultEnd.Closed: closedAt = s.Elapsed; break;
            }
        }
    }

    /// <summary>When the loop must wake without a frame: the recogniser is behind (every tick), an idle flush or idle
    /// timeout is due; null: only a frame can change anything.</summary>
    private TimeSpan? NextWake(EmulatedStream s, ConnectionFaults my, bool endReceived, bool completed, bool idleFlushed, double lastFrameAt, double lastAudioAt)
    {
        double wait = double.MaxValue;
        if (!s.CaughtUp || (endReceived && !completed && !Options.Faults.StallAfterEndOfStream && !my.Stalled)) wait = Tick.TotalSeconds;
        if (NoEndOfStreamMessage && !idleFlushed && s.Record.AudioBytes > 0) wait = Math.Min(wait, Math.Max(Tick.TotalSeconds, IdleFlush.TotalSeconds - (s.Elapsed - lastAudioAt)));
        if (Options.Faults.IdleTimeoutSeconds is double idle) wait = Math.Min(wait, Math.Max(0.01, idle - (s.Elapsed - lastFrameAt)));
        return wait == double.MaxValue ? null : TimeSpan.FromSeconds(wait);
    }

    private async Task SendDueAsync(EmulatedStream s, CancellationToken ct)
    {
        foreach (var e in s.Recognise()) await SendResultAsync(s, e, ct).ConfigureAwait(false);
    }

    /// <summary>The last finals and the completion, in the order the faults ask. True when the emulator closed the
    /// connection (the caller then waits for the client's close).</summary>
    private async Task<bool> CompleteAsync(EmulatedStream s, ConnectionFaults my, CancellationToken ct)
    {
        var last = s.Finish();
        if (Options.Faults.ResultsAfterCompletion is TimeSpan late && !ServerClosesAfterCompletion)
        {
            await SendCompletionAsync(s, ct).ConfigureAwait(false);
            await Task.Delay(late, ct).ConfigureAwait(false);
            foreach (var e in last) await SendResultAsync(s, e, ct).ConfigureAwait(false);
        }
        else
        {
            if (Options.Faults.ResultsAfterCompletion is TimeSpan delay) await Task.Delay(delay, ct).ConfigureAwait(false);
            await SendLastAsync(s, last, ct).ConfigureAwait(false);
        }
        if (!ServerClosesAfterCompletion) return false; // the client closes
        await s.CloseAsync(1000, "").ConfigureAwait(false);
        return true;
    }

    private enum FaultEnd { None, Dropped, Closed }

    /// <summary>The faults that fire at a point of the audio: whether they dropped or closed the connection.</summary>
    private async Task<FaultEnd> ApplyAudioFaultsAsync(EmulatedStream s, ConnectionFaults my, CancellationToken ct)
    {
        var f = Options.Faults;
        double at = s.AudioSeconds;
        if (my.Hostile && !my.HostileSent && at >= f.HostileFramesAfterAudioSeconds)
        {
            my.HostileSent = true;
            await s.SendAsync("{\"type\":\"final\",\"text\": broken", ct).ConfigureAwait(false);
            await s.SendAsync("{\"type\":\"mystery\",\"payload\":[1,2,3]}", ct).ConfigureAwait(false);
            await s.SendAsync("[]", ct).ConfigureAwait(false);
            await s.Socket.SendAsync(new byte[] { 0, 1, 2, 3 }, WebSocketMessageType.Binary, true, ct).ConfigureAwait(false);
            s.Record.Sent.Enqueue("hostile frames");
        }
        if (my.ProtocolFault && !my.Utf8Sent && at >= f.InvalidUtf8AfterAudioSeconds)
        {
            my.Utf8Sent = true;
            await s.SendRawTextAsync(new byte[] { (byte)'{', 0xC3, 0x28, 0xFF, (byte)'}' }, "invalid UTF-8 frame", ct).ConfigureAwait(false);
        }
        if (my.ProtocolFault && !my.OversizedSent && at >= f.OversizedFrameAfterAudioSeconds)
        {
            my.OversizedSent = true;
            var huge = new byte[f.OversizedFrameBytes];
            huge.AsSpan().Fill((byte)'a');
            "{\"text\":\""u8.CopyTo(huge);
            await s.SendRawTextAsync(huge, $"oversized frame ({f.OversizedFrameBytes} bytes)", ct).ConfigureAwait(false);
        }
        if (my.Flood && !my.FloodSent && at >= f.PartialFloodAfterAudioSeconds)
        {
            my.FloodSent = true;
            for (int i = 0; i < f.PartialFloodCount; i++)
                if (FloodPartial(s, i) is { } p) await SendResultAsync(s, p, ct).ConfigureAwait(false);
            s.Record.Sent.Enqueue($"flood of {f.PartialFloodCount} partials");
        }
        if (!my.ErrorSent && f.ErrorAfterAudioSeconds is double es && at >= es && ErrorFrame(f.ErrorCode, f.ErrorMessage) is { } err)
        {
            my.ErrorSent = true;
            await s.SendAsync(err, ct).ConfigureAwait(false);
        }
        if (my.Drop && at >= f.DropAfterAudioSeconds)
        {
            s.Record.Ending = "dropped by fault";
            s.Socket.Abort(); // no close frame: the client sees the connection torn down (1006)
            return FaultEnd.Dropped;
        }
        if (my.Close && at >= f.CloseAfterAudioSeconds)
        {
            await s.CloseAsync(f.CloseCode, f.CloseReason).ConfigureAwait(false);
            return FaultEnd.Closed;
        }
        return FaultEnd.None;
    }

    /// <summary>Reads one whole message into a growing buffer.</summary>
    private static async Task<(WebSocketMessageType, int)> ReceiveWholeAsync(WebSocket ws, Func<byte[]> get, Action<byte[]> set, CancellationToken ct)
    {
        int len = 0;
        var buf = get();
        while (true)
        {
            if (len == buf.Length)
            {
                Array.Resize(ref buf, buf.Length * 2);
                set(buf);
            }
            var res = await ws.ReceiveAsync(buf.AsMemory(len), ct).ConfigureAwait(false);
            if (res.MessageType == WebSocketMessageType.Close) return (WebSocketMessageType.Close, 0);
            len += res.Count;
            if (res.EndOfMessage) return (res.MessageType, len);
        }
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

    protected static string Truncate(string s) => s.Length <= 80 ? s : s[..80] + "…";

    /// <summary>The bearer token of an <c>Authorization</c> header, if any.</summary>
    protected static string? Bearer(HttpRequestHead req) =>
        req.Header("Authorization") is { } a && a.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? a[7..].Trim() : null;

    protected static string Redacted(HttpRequestHead req) => SpeechStream.Engine.Diagnostics.SecretRedactor.Redact("?" + req.RawQuery);
}
