using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace SpeechStream.Emulator;

/// <summary>One WebSocket connection of an emulator: the socket, its record, the recogniser (the script player, or
/// the energy segmenter without a script) with its clock, and helpers to send frames and close. The recogniser hears
/// the audio as it arrives, or, with <see cref="EmulatorOptions.RecogniserSpeed"/>, no faster than that many times
/// real time from the first audio (a real recogniser behind a fast upload).</summary>
internal sealed class EmulatedStream
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private ScriptPlayer? _player;
    private EnergySegmenter? _vad;
    private bool _firstAudio = true;
    private double? _firstAudioAt;
    private long _vadBytes;

    internal EmulatedStream(EmulatorServer server, WebSocket ws, EmulatedConnection rec, EmulatorOptions options, HttpRequestHead request)
    {
        Server = server;
        Socket = ws;
        Record = rec;
        Options = options;
        Request = request;
    }

    /// <summary>The server that accepted the connection (where violations are recorded).</summary>
    public EmulatorServer Server { get; }

    /// <summary>The server side of the WebSocket.</summary>
    public WebSocket Socket { get; }

    /// <summary>What the emulator saw on this connection, kept on <see cref="EmulatorServer.Connections"/>.</summary>
    public EmulatedConnection Record { get; }

    /// <summary>The emulator's options (shared by every connection of the server).</summary>
    public EmulatorOptions Options { get; }

    /// <summary>The upgrade request that opened the connection.</summary>
    public HttpRequestHead Request { get; }

    /// <summary>Sample rate in Hz of the PCM s16le the client sends (set by the emulator's open step).</summary>
    public int SampleRate { get; private set; } = 16000;

    /// <summary>Seconds of audio received.</summary>
    public double AudioSeconds => Record.AudioBytes / 2.0 / SampleRate;

    /// <summary>Seconds of audio the recogniser has heard: all received, or what its speed allows since the first audio.</summary>
    public double HeardSeconds => Options.RecogniserSpeed is double speed && _firstAudioAt is double t0
        ? Math.Min(AudioSeconds, (Elapsed - t0) * speed) : AudioSeconds;

    /// <summary>True when the recogniser has heard every second received.</summary>
    public bool CaughtUp => HeardSeconds >= AudioSeconds - 1e-9;

    /// <summary>Seconds since the upgrade.</summary>
    public double Elapsed => _clock.Elapsed.TotalSeconds;

    /// <summary>Per-connection state an emulator may keep (e.g. the last segment it sent).</summary>
    public int LastSegmentSent { get; set; } = -1;

    /// <summary>Per-connection text an emulator may keep (e.g. iApp's sentence so far, for incremental messages).</summary>
    public string LastText { get; set; } = "";

    /// <summary>Audio of this connection, frame by frame as received (up to <see cref="HistoryLimit"/> bytes), to
    /// recognise a later replay; joined only when a replay is looked for.</summary>
    private List<byte[]>? _heard;
    private long _heardBytes;
    private const int HistoryLimit = 64 << 20;
    /// <summary>How much audio to hear before deciding where a replay starts (2 s).</summary>
    private int ProbeBytes => SampleRate * 4;

    /// <summary>Seconds from the start of the stream at which this connection's audio begins (non-zero after a replay).</summary>
    public double StreamOffset { get; private set; }

    internal void Start(int sampleRate)
    {
        SampleRate = sampleRate;
    }

    /// <summary>Picks the recogniser at the first audio, not at the connection: a script may be given in between
    /// (<see cref="StreamingEmulator.TryUseScript"/>). With one, the audio is heard for the replay; without, voiced
    /// regions are found by energy.</summary>
    private void ChooseRecogniser()
    {
        if (_heard is not null || _vad is not null) return;
        lock (Options)
        {
            if (Options.Script is not null) _heard = new List<byte[]>();
            else _vad = new EnergySegmenter(SampleRate);
        }
    }

    /// <summary>Once enough audio arrived: where in the stream it starts (a replay after a reconnect starts where the
    /// client's uncovered audio began), and a script player for the words from there on, timed from this connection.</summary>
    private void StartPlayerIfReady(bool force)
    {
        if (_player is not null || _heard is null || (!force && _heardBytes < ProbeBytes)) return;
        byte[] probe = Heard(ProbeBytes);
        StreamOffset = Server.FindReplayOffset(probe, SampleRate, this);
        if (StreamOffset == 0) Server.RememberStreamOpening(probe);
        _player = new ScriptPlayer(StreamOffset > 0 ? Options.Script!.From(StreamOffset) : Options.Script!);
        Server.RememberAudio(this);
    }

    /// <summary>Where the new connection's audio <paramref name="probe"/> starts in the audio this connection heard
    /// (byte offset, even), or -1. The replayed part may be shorter than the probe, so the longest prefix that
    /// matches wins (2 s, 1 s, 0.5 s …, down to 0.2 s), at its latest occurrence: a replay is of recent audio.</summary>
    internal int FindInHeard(ReadOnlySpan<byte> probe)
    {
        if (_heard is null) return -1;
        {
            var heard = Heard(int.MaxValue).AsSpan();
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

    /// <summary>The first <paramref name="max"/> bytes heard, joined.</summary>
    private byte[] Heard(int max)
    {
        lock (_heard!)
        {
            var joined = new byte[(int)Math.Min(max, _heardBytes)];
            int at = 0;
            foreach (var frame in _heard)
            {
                int n = Math.Min(frame.Length, joined.Length - at);
                frame.AsSpan(0, n).CopyTo(joined.AsSpan(at));
                if ((at += n) == joined.Length) break;
            }
            return joined;
        }
    }

    /// <summary>Records an audio frame and checks it; the frame is kept as it is (the caller gives it up).</summary>
    internal void OnAudio(byte[] pcm)
    {
        if (Record.EndOfStreamReceived) Server.Violation("audio received after the end of stream");
        if (_firstAudio && pcm.Length >= 12 && pcm.AsSpan(0, 4).SequenceEqual("RIFF"u8)) Server.Violation("a WAV header was sent as audio");
        if (pcm.Length % 2 != 0) Server.Violation($"audio frame of {pcm.Length} bytes is not whole s16le samples");
        _firstAudio = false;
        _firstAudioAt ??= Elapsed;
        Record.AudioFrames.Enqueue(pcm.Length);
        Record.AudioFrameTimes.Enqueue(Elapsed);
        Record.AudioBytes += pcm.Length;
        ChooseRecogniser(); // after the count: TryUseScript, under the same lock, sees audio has arrived
        if (Options.CaptureAudio) (Record.ReceivedAudio ??= new MemoryStream()).Write(pcm);
        if (_heard is not null && _heardBytes + pcm.Length <= HistoryLimit)
            lock (_heard)
            {
                _heard.Add(pcm);
                _heardBytes += pcm.Length;
            }
        if (_vad is not null) _vadPending.Enqueue(pcm);
    }

    /// <summary>Audio received that the energy segmenter has not heard yet (the head chunk partly, from <see cref="_vadHeadUsed"/>).</summary>
    private readonly Queue<byte[]> _vadPending = new();
    private int _vadHeadUsed;

    /// <summary>The results the recogniser has made due by now (partials and finals), given what it has heard.</summary>
    internal IReadOnlyList<EmittedResult> Recognise()
    {
        double heard = HeardSeconds;
        if (_vad is not null)
        {
            long upTo = Math.Min((long)(heard * SampleRate) * 2, Record.AudioBytes);
            var due = new List<EmittedResult>();
            while (_vadBytes < upTo && _vadPending.TryPeek(out var head))
            {
                int n = (int)Math.Min(upTo - _vadBytes, head.Length - _vadHeadUsed);
                due.AddRange(_vad.Feed(head.AsSpan(_vadHeadUsed, n)));
                _vadBytes += n;
                _vadHeadUsed += n;
                if (_vadHeadUsed == head.Length) { _vadPending.Dequeue(); _vadHeadUsed = 0; }
            }
            return due;
        }
        StartPlayerIfReady(force: false);
        return _player is not null ? _player.Advance(heard).ToList() : Array.Empty<EmittedResult>();
    }

    /// <summary>The finals still owed once the recogniser has heard everything (at the end of the stream).</summary>
    internal IReadOnlyList<EmittedResult> Finish()
    {
        if (_vad is not null)
        {
            var owed = Recognise().Where(r => r.IsFinal).ToList();
            owed.AddRange(_vad.Finish());
            return owed;
        }
        if (_heard is null) return Array.Empty<EmittedResult>();
        StartPlayerIfReady(force: true);
        var last = _player!.Advance(AudioSeconds).Where(r => r.IsFinal).ToList();
        last.AddRange(_player.Finish(AudioSeconds));
        return last;
    }

    /// <summary>Sends <paramref name="text"/> as a text frame and records it (the first 2,000 characters).</summary>
    /// <exception cref="WebSocketException">The connection is gone.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled.</exception>
    public async Task SendAsync(string text, CancellationToken ct)
    {
        Record.Sent.Enqueue(text.Length > 2000 ? text[..2000] + "…" : text);
        await Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, ct).ConfigureAwait(false);
        Record.LastSentAt = Elapsed;
    }

    /// <summary>Sends a text frame already encoded as UTF-8.</summary>
    public async Task SendUtf8Async(ReadOnlyMemory<byte> utf8, CancellationToken ct)
    {
        Record.Sent.Enqueue(Encoding.UTF8.GetString(utf8.Span));
        await Socket.SendAsync(utf8, WebSocketMessageType.Text, true, ct).ConfigureAwait(false);
        Record.LastSentAt = Elapsed;
    }

    /// <summary>Sends raw bytes as a text frame, valid UTF-8 or not (the invalid UTF-8 fault).</summary>
    public async Task SendRawTextAsync(byte[] bytes, string description, CancellationToken ct)
    {
        Record.Sent.Enqueue(description);
        await Socket.SendAsync(bytes, WebSocketMessageType.Text, true, ct).ConfigureAwait(false);
    }

    /// <summary>Sends <paramref name="value"/> as a JSON text frame, written by its source-generated
    /// <paramref name="type"/> (each provider's emulator has its own context, e.g. <see cref="VoxistEmulatorJsonContext"/>).</summary>
    public Task SendJsonAsync<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken ct) =>
        SendAsync(JsonSerializer.Serialize(value, type), ct);

    /// <summary>Sends the server's close frame with <paramref name="code"/> and <paramref name="reason"/> and records it as
    /// the connection's ending; a connection already gone is ignored. The client's answer is read by the caller.</summary>
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
                if (ack.MessageType == WebSocketMessageType.Binary && Record.EndOfStreamReceived) Server.Violation("audio received after the end of stream");
                if (ack.MessageType == WebSocketMessageType.Close) Record.ClientCloseCode = Socket.CloseStatus is { } cs ? (int)cs : null;
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException) { }
    }
}
