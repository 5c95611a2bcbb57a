using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace SpeechStream.Emulator;

/// <summary>What a provider's text frame means to its emulator.</summary>
public readonly record struct TextMeaning(TextKind Kind, byte[]? Audio = null, string? Violation = null)
{
    public static readonly TextMeaning Other = new(TextKind.Other);
    public static readonly TextMeaning End = new(TextKind.EndOfStream);
    public static TextMeaning AudioData(byte[] pcm) => new(TextKind.Audio, pcm);
    public static TextMeaning Wrong(string why) => new(TextKind.Other, Violation: why);
}

public enum TextKind { Other, Audio, EndOfStream }

/// <summary>One WebSocket connection of an emulator: the socket, its record, the script player (or the energy
/// segmenter without a script), and helpers to send frames and close.</summary>
public sealed class EmulatedStream
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private ScriptPlayer? _player;
    private EnergySegmenter? _vad;
    private bool _firstAudio = true;

    internal EmulatedStream(EmulatorServer server, WebSocket ws, EmulatedConnection rec, EmulatorOptions options, HttpRequestHead request)
    {
        Server = server;
        Socket = ws;
        Record = rec;
        Options = options;
        Request = request;
    }

    public EmulatorServer Server { get; }
    public WebSocket Socket { get; }
    public EmulatedConnection Record { get; }
    public EmulatorOptions Options { get; }
    public HttpRequestHead Request { get; }

    /// <summary>Sample rate in Hz of the PCM s16le the client sends (set by the emulator's open step).</summary>
    public int SampleRate { get; private set; } = 16000;

    /// <summary>Seconds of audio received.</summary>
    public double AudioSeconds => Record.AudioBytes / 2.0 / SampleRate;

    /// <summary>Seconds since the upgrade.</summary>
    public double Elapsed => _clock.Elapsed.TotalSeconds;

    /// <summary>Per-connection state an emulator may keep (e.g. the last segment it sent).</summary>
    public int LastSegmentSent { get; set; } = -1;

    /// <summary>Audio of this connection, kept (up to <see cref="HistoryLimit"/>) to recognise a later replay.</summary>
    private MemoryStream? _heard;
    private const int HistoryLimit = 64 << 20;
    /// <summary>How much audio to hear before deciding where a replay starts (2 s).</summary>
    private int ProbeBytes => SampleRate * 4;

    /// <summary>Seconds from the start of the stream at which this connection's audio begins (non-zero after a replay).</summary>
    public double StreamOffset { get; private set; }

    internal void Start(int sampleRate)
    {
        SampleRate = sampleRate;
        if (Options.Script is not null) _heard = new MemoryStream();
        else _vad = new EnergySegmenter(sampleRate);
    }

    /// <summary>Once enough audio arrived: where in the stream it starts (a replay after a reconnect starts where the
    /// client's uncovered audio began), and a script player for the words from there on, timed from this connection.</summary>
    private void StartPlayerIfReady(bool force)
    {
        if (_player is not null || _heard is null || (!force && _heard.Length < ProbeBytes)) return;
        byte[] probe;
        lock (_heard) probe = _heard.GetBuffer().AsSpan(0, (int)Math.Min(_heard.Length, ProbeBytes)).ToArray();
        StreamOffset = Server.FindReplayOffset(probe, SampleRate, this);
        _player = new ScriptPlayer(StreamOffset > 0 ? Options.Script!.From(StreamOffset) : Options.Script!);
        Server.RememberAudio(this);
    }

    /// <summary>Where the new connection's audio <paramref name="probe"/> starts in the audio this connection heard
    /// (byte offset, even), or -1. The replayed part may be shorter than the probe, so the longest prefix that
    /// matches wins (2 s, 1 s, 0.5 s …, down to 0.2 s), at its latest occurrence: a replay is of recent audio.</summary>
    internal int FindInHeard(ReadOnlySpan<byte> probe)
    {
        if (_heard is null) return -1;
        lock (_heard)
        {
            var heard = _heard.GetBuffer().AsSpan(0, (int)_heard.Length);
            for (int len = probe.Length & ~1; len >= SampleRate / 5 * 2; len = (len / 2) & ~1)
            {
                var part = probe[..len];
                for (int end = heard.Length; end > 0;)
                {
                    int at = heard[..end].LastIndexOf(part);
                    if (at < 0) break;
                    if (at % 2 == 0) return at;
                    end = at + len - 1;
                }
            }
            return -1;
        }
    }

    /// <summary>Records an audio frame, checks it, and returns the results it makes due.</summary>
    internal IReadOnlyList<EmittedResult> OnAudio(ReadOnlySpan<byte> pcm)
    {
        if (Record.EndOfStreamReceived) Server.Violation("audio received after the end of stream");
        if (_firstAudio && pcm.Length >= 12 && pcm[..4].SequenceEqual("RIFF"u8)) Server.Violation("a WAV header was sent as audio");
        if (pcm.Length % 2 != 0) Server.Violation($"audio frame of {pcm.Length} bytes is not whole s16le samples");
        _firstAudio = false;
        Record.AudioFrames.Enqueue(pcm.Length);
        Record.AudioFrameTimes.Enqueue(Elapsed);
        Record.AudioBytes += pcm.Length;
        if (Options.CaptureAudio) (Record.ReceivedAudio ??= new MemoryStream()).Write(pcm);
        if (_heard is not null && _heard.Length + pcm.Length <= HistoryLimit)
            lock (_heard) _heard.Write(pcm);
        if (Record.EndOfStreamReceived) return Array.Empty<EmittedResult>();
        if (_vad is not null) return _vad.Feed(pcm);
        StartPlayerIfReady(force: false);
        return _player is not null ? _player.Advance(AudioSeconds).ToList() : Array.Empty<EmittedResult>();
    }

    /// <summary>The finals still owed at the end of the audio.</summary>
    internal IReadOnlyList<EmittedResult> Finish()
    {
        if (_vad is not null) return _vad.Finish();
        StartPlayerIfReady(force: true);
        var owed = _player!.Advance(AudioSeconds).Where(r => r.IsFinal).ToList();
        owed.AddRange(_player.Finish(AudioSeconds));
        return owed;
    }

    public async Task SendAsync(string text, CancellationToken ct)
    {
        Record.Sent.Enqueue(text);
        await Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, ct).ConfigureAwait(false);
    }

    public Task SendJsonAsync(object value, CancellationToken ct) => SendAsync(JsonSerializer.Serialize(value), ct);

    public async Task CloseAsync(int code, string reason)
    {
        Record.Sent.Enqueue($"close {code} {reason}");
        Record.Ending = $"server-close {code}";
        try { await Socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, CancellationToken.None).ConfigureAwait(false); }
        catch (WebSocketException) { }
    }

    /// <summary>After the server's close: lets the client acknowledge it (5 s at most), flagging audio sent meanwhile.</summary>
    public async Task AwaitCloseAckAsync()
    {
        var buf = new byte[64 * 1024];
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            while (Socket.State == WebSocketState.CloseSent)
            {
                var ack = await Socket.ReceiveAsync(buf.AsMemory(), wait.Token).ConfigureAwait(false);
                if (ack.MessageType == WebSocketMessageType.Text) Record.TextFrames.Enqueue(Encoding.UTF8.GetString(buf, 0, ack.Count));
                if (ack.MessageType == WebSocketMessageType.Binary) Server.Violation("audio received after the end of stream");
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException) { }
    }
}

/// <summary>
/// The loop every STT emulator shares: check faults and credentials, upgrade, let the provider open the stream
/// (configuration, handshake), then read frames — audio advances the transcript script, the end of stream sends
/// the last finals and the provider's completion — while recording protocol violations: a WAV header sent as
/// audio, audio after the end of stream, a close or drop without end of stream, frames of the wrong type.
/// Each provider supplies only what its seed document specifies.
/// </summary>
public abstract class StreamingEmulator : ProviderEmulator
{
    private int _closeFaults, _dropFaults;

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

    /// <summary>Sends one result the script made due, in the provider's shape.</summary>
    protected abstract Task SendResultAsync(EmulatedStream s, EmittedResult result, CancellationToken ct);

    /// <summary>At the end of stream: sends the last finals and the completion signal. Returns true when the
    /// connection is over (the emulator closed it), false to keep reading until the client closes.</summary>
    protected abstract Task<bool> CompleteAsync(EmulatedStream s, IReadOnlyList<EmittedResult> last, CancellationToken ct);

    /// <summary>When the connection's credential expires (Voxist tokens); the emulator then closes with 1008.</summary>
    protected virtual DateTimeOffset? CredentialExpiry(HttpRequestHead req) => null;

    /// <summary>The provider's error frame, for the error fault; null when its protocol has none.</summary>
    protected virtual string? ErrorFrame(string code, string message) => null;

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
        if (await OpenAsync(s, ct).ConfigureAwait(false) is not int rate) return;
        s.Start(rate);
        var f = Options.Faults;
        bool closeFault = f.CloseAfterAudioSeconds is not null && Interlocked.Increment(ref _closeFaults) <= f.CloseTimes;
        bool dropFault = f.DropAfterAudioSeconds is not null && Interlocked.Increment(ref _dropFaults) <= f.DropTimes;
        bool errorSent = false, idleFlushed = false, hostileSent = false, stalled = false;
        var expiry = CredentialExpiry(req);
        var buf = new byte[64 * 1024];
        Task<(WebSocketMessageType Type, int Length)>? pending = null;
        while (true)
        {
            pending ??= ReceiveWholeAsync(ws, () => buf, b => buf = b, ct);
            if (f.IdleTimeoutSeconds is double idle && await Task.WhenAny(pending, Task.Delay(TimeSpan.FromSeconds(idle), ct)).ConfigureAwait(false) != pending)
            {
                await s.CloseAsync(1008, "idle timeout").ConfigureAwait(false);
                return;
            }
            if (NoEndOfStreamMessage && !idleFlushed && rec.AudioBytes > 0
                && await Task.WhenAny(pending, Task.Delay(IdleFlush, ct)).ConfigureAwait(false) != pending)
            {
                idleFlushed = true; // the client stopped sending: flush what is owed (protocols.md, Speechall ambiguity 1)
                await CompleteAsync(s, s.Finish(), ct).ConfigureAwait(false);
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
            if (expiry is DateTimeOffset exp && DateTimeOffset.UtcNow >= exp && frame.type != WebSocketMessageType.Close)
            {
                await s.CloseAsync(1008, "Token expired").ConfigureAwait(false);
                return;
            }
            if (frame.type == WebSocketMessageType.Close)
            {
                rec.ClientCloseCode = ws.CloseStatus is { } cs ? (int)cs : null;
                if (!rec.EndOfStreamReceived && !NoEndOfStreamMessage) server.Violation("client closed the connection without end of stream");
                // No end-of-stream message: the client's close ends the stream; flush what is owed first (protocols.md).
                if (NoEndOfStreamMessage && !idleFlushed && rec.AudioBytes > 0) await CompleteAsync(s, s.Finish(), ct).ConfigureAwait(false);
                rec.Ending ??= "client-close";
                try { await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", ct).ConfigureAwait(false); } catch (WebSocketException) { }
                return;
            }
            byte[]? audio = null;
            if (frame.type == WebSocketMessageType.Binary)
            {
                if (AudioInTextFrames) server.Violation($"a binary frame of {frame.len} bytes where JSON audio frames were expected");
                else audio = buf.AsSpan(0, frame.len).ToArray();
            }
            else
            {
                string text = Encoding.UTF8.GetString(buf, 0, frame.len);
                var meaning = ClassifyText(s, text);
                if (meaning.Kind != TextKind.Audio) rec.TextFrames.Enqueue(text);
                if (meaning.Violation is not null) server.Violation(meaning.Violation);
                if (meaning.Kind == TextKind.Audio) audio = meaning.Audio;
                else if (meaning.Kind == TextKind.EndOfStream && !rec.EndOfStreamReceived)
                {
                    rec.EndOfStreamReceived = true;
                    if (f.StallAfterEndOfStream || stalled) continue; // keep reading, never answer
                    if (f.CompletionDelay > TimeSpan.Zero) await Task.Delay(f.CompletionDelay, ct).ConfigureAwait(false);
                    if (await CompleteAsync(s, s.Finish(), ct).ConfigureAwait(false)) return;
                }
            }
            if (audio is null) continue;
            idleFlushed = false;
            var due = s.OnAudio(audio);
            stalled |= f.StallAfterAudioSeconds is double st && s.AudioSeconds >= st;
            if (!stalled) foreach (var e in due) await SendResultAsync(s, e, ct).ConfigureAwait(false);
            if (!hostileSent && f.HostileFramesAfterAudioSeconds is double hs && s.AudioSeconds >= hs)
            {
                hostileSent = true;
                await s.SendAsync("{\"type\":\"final\",\"text\": broken", ct).ConfigureAwait(false);
                await s.SendAsync("{\"type\":\"mystery\",\"payload\":[1,2,3]}", ct).ConfigureAwait(false);
                await s.SendAsync("[]", ct).ConfigureAwait(false);
                await ws.SendAsync(new byte[] { 0, 1, 2, 3 }, WebSocketMessageType.Binary, true, ct).ConfigureAwait(false);
                var huge = new byte[f.HostileFrameBytes];
                huge.AsSpan().Fill((byte)'a');
                "{\"text\":\""u8.CopyTo(huge);
                await ws.SendAsync(huge, WebSocketMessageType.Text, true, ct).ConfigureAwait(false);
                rec.Sent.Enqueue($"hostile frames ({f.HostileFrameBytes} bytes)");
            }
            if (!errorSent && f.ErrorAfterAudioSeconds is double es && s.AudioSeconds >= es && ErrorFrame(f.ErrorCode, f.ErrorMessage) is { } err)
            {
                errorSent = true;
                await s.SendAsync(err, ct).ConfigureAwait(false);
            }
            if (dropFault && s.AudioSeconds >= f.DropAfterAudioSeconds)
            {
                rec.Ending = "dropped by fault";
                ws.Abort(); // no close frame: the client sees the connection torn down (1006)
                return;
            }
            if (closeFault && s.AudioSeconds >= f.CloseAfterAudioSeconds)
            {
                await s.CloseAsync(f.CloseCode, f.CloseReason).ConfigureAwait(false);
                return;
            }
        }
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
