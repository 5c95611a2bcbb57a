using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace SpeechStream.Emulator;

/// <summary>
/// VoxNexus realtime STT and TTS, as its protocol document describes them
/// (notes: src/SpeechStream.Engine/Providers/VoxNexus/README.md). Auth: <c>?token=</c> or
/// header <c>X-Api-Key</c>. STT at <c>/v1/stt/realtime</c>: the first frame must be <c>init</c> (format "pcm";
/// anything else gets the seed's <c>UNSUPPORTED_FORMAT</c> error frame), answered by <c>ready</c>; audio arrives as
/// <c>{"type":"audio","data":"&lt;base64&gt;"}</c> text frames; <c>transcript</c> frames go out with
/// <c>offset</c>/<c>duration</c> in <b>milliseconds</b> (words and confidence on finals only);
/// <c>{"type":"command","command":"flush"}</c> is answered by the last finals and <c>flush_done</c>, and the
/// client closes. TTS at <c>/v1/tts/realtime</c>: <c>init</c> → <c>ready</c> → <c>text</c> frames until
/// <c>is_final</c> → base64 <c>audio</c> frames (a tone as long as the text, one WAV stream sliced into 100 ms
/// chunks, the header in the first) until one has <c>is_final: true</c>.
/// </summary>
internal sealed class VoxNexusEmulator : StreamingEmulator
{
    /// <summary>This emulator, as <see cref="EmulatorRegistry"/> lists it.</summary>
    public static EmulatorRegistration Registration { get; } = new("VoxNexus", o => new VoxNexusEmulator(o)) { NumbersSegments = true, SendsErrorFrames = true };

    /// <summary>The path of the TTS WebSocket, beside the STT one (<see cref="WebSocketPath"/>).</summary>
    public const string TtsPath = "/v1/tts/realtime";

    /// <summary>The TTS service, announced by <c>speechstream emulate</c>.</summary>
    public override IReadOnlyList<(string What, string Path)> OtherEndpoints => [("VoxNexus TTS", TtsPath)];

    /// <summary>A VoxNexus emulator behaving as <paramref name="options"/> say.</summary>
    public VoxNexusEmulator(EmulatorOptions options) : base(options) { }

    /// <inheritdoc/>
    public override string Provider => "VoxNexus";
    /// <inheritdoc/>
    public override string WebSocketPath => "/v1/stt/realtime";
    /// <inheritdoc/>
    protected override bool AudioInTextFrames => true;

    /// <inheritdoc/>
    protected override bool ServesPath(string path) => path == WebSocketPath || path == TtsPath;

    /// <inheritdoc/>
    protected override (int Status, string Body)? CheckAuth(EmulatorServer server, HttpRequestHead req)
    {
        string? key = req.Query.TryGetValue("token", out var t) ? t : req.Header("X-Api-Key");
        return Options.Accepts(key) ? null : (401, "{\"error\":\"Invalid API key\",\"code\":\"UNAUTHORIZED\"}");
    }

    /// <summary>Runs the TTS exchange on <see cref="TtsPath"/>; STT on <see cref="WebSocketPath"/> goes through the
    /// shared loop.</summary>
    protected override Task HandleWebSocketAsync(EmulatorServer server, WebSocket ws, HttpRequestHead req, EmulatedConnection rec, CancellationToken ct) =>
        req.Path == TtsPath ? RunTtsAsync(new EmulatedStream(server, ws, rec, Options, req), ct) : base.HandleWebSocketAsync(server, ws, req, rec, ct);

    private static async Task<JsonDocument?> ReceiveJsonAsync(EmulatedStream s, CancellationToken ct)
    {
        var buf = new byte[64 * 1024];
        int len = 0;
        ValueWebSocketReceiveResult r;
        do
        {
            if (len == buf.Length) Array.Resize(ref buf, buf.Length * 2);
            r = await s.Socket.ReceiveAsync(buf.AsMemory(len), ct);
            len += r.Count;
        } while (!r.EndOfMessage && r.MessageType != WebSocketMessageType.Close);
        if (r.MessageType == WebSocketMessageType.Close) return null;
        if (r.MessageType == WebSocketMessageType.Binary)
        {
            s.Server.Violation("a binary frame before init (VoxNexus messages are JSON text)");
            return JsonDocument.Parse("{}");
        }
        string text = Encoding.UTF8.GetString(buf, 0, len);
        s.Record.TextFrames.Enqueue(text);
        try { return JsonDocument.Parse(text); }
        catch (JsonException) { s.Server.Violation($"a frame that is not JSON: {Truncate(text)}"); return JsonDocument.Parse("{}"); }
    }

    private static string RequestId(EmulatedStream s) => "req_" + s.Record.GetHashCode().ToString("x8");

    /// <inheritdoc/>
    protected override async Task<int?> OpenAsync(EmulatedStream s, CancellationToken ct)
    {
        using var init = await ReceiveJsonAsync(s, ct);
        if (init is null) return null;
        var root = init.RootElement;
        if (!root.TryGetProperty("type", out var type) || type.GetString() != "init")
        {
            s.Server.Violation("the first frame was not init (audio before ready is dropped by the server)");
            await s.SendJsonAsync(new VoxNexusError { Error = "Expected init", Code = "INVALID_REQUEST", RequestId = RequestId(s) }, VoxNexusEmulatorJsonContext.Default.VoxNexusError, ct);
            await s.CloseAsync(1008, "init expected");
            return null;
        }
        string format = root.TryGetProperty("format", out var f) ? f.GetString() ?? "" : "";
        if (format != "pcm")
        {
            await s.SendJsonAsync(new VoxNexusError { Error = "Invalid audio format", Code = "UNSUPPORTED_FORMAT", RequestId = RequestId(s) }, VoxNexusEmulatorJsonContext.Default.VoxNexusError, ct);
            await s.CloseAsync(1008, "unsupported format");
            return null;
        }
        int rate = root.TryGetProperty("sample_rate", out var sr) && sr.TryGetInt32(out var r) && r > 0 ? r : 16000;
        string? language = root.TryGetProperty("language", out var l) ? l.GetString() : null;
        await s.SendJsonAsync(new VoxNexusSttReady { RequestId = RequestId(s), Language = language ?? "en-US", Format = format, SampleRate = rate }, VoxNexusEmulatorJsonContext.Default.VoxNexusSttReady, ct);
        return rate;
    }

    /// <inheritdoc/>
    protected override TextMeaning ClassifyText(EmulatedStream s, string text)
    {
        try
        {
            using var d = JsonDocument.Parse(text);
            var root = d.RootElement;
            string? type = root.TryGetProperty("type", out var t) ? t.GetString() : null;
            if (type == "audio")
            {
                try { return TextMeaning.AudioData(Convert.FromBase64String(root.GetProperty("data").GetString() ?? "")); }
                catch (Exception e) when (e is FormatException or KeyNotFoundException or InvalidOperationException)
                { return TextMeaning.Wrong("an audio frame whose data is not base64"); }
            }
            if (type == "command" && root.TryGetProperty("command", out var c) && c.GetString() == "flush") return TextMeaning.End;
            if (type == "ping") return TextMeaning.Other; // the seed's best-practice keepalive; tolerated
        }
        catch (JsonException) { }
        return TextMeaning.Wrong($"unexpected text frame: {Truncate(text)}");
    }

    private static int Ms(double seconds) => (int)Math.Round(seconds * 1000);

    /// <inheritdoc/>
    protected override Task SendResultAsync(EmulatedStream s, EmittedResult e, CancellationToken ct)
    {
        var m = new VoxNexusTranscript
        {
            RequestId = RequestId(s),
            Text = e.Text,
            IsFinal = e.IsFinal,
            Offset = Ms(e.Start),
            Duration = Ms(e.End - e.Start),
            SegmentId = Options.VoxNexusSegmentIds ? $"seg_{e.Segment}" : null, // the third-party client's extension (README, "Results")
            Language = e.IsFinal ? "en-US" : null,
            Confidence = e.IsFinal ? 0.95 : null,
            Words = e.IsFinal ? e.Words.Select(w => new VoxNexusWord(w.Text, Ms(w.Start), Ms(w.End - w.Start), 0.96)).ToArray() : null,
        };
        return s.SendJsonAsync(m, VoxNexusEmulatorJsonContext.Default.VoxNexusTranscript, ct);
    }

    /// <inheritdoc/>
    protected override Task SendCompletionAsync(EmulatedStream s, CancellationToken ct) =>
        s.SendJsonAsync(new VoxNexusFlushDone { RequestId = RequestId(s) }, VoxNexusEmulatorJsonContext.Default.VoxNexusFlushDone, ct); // the client closes after flush_done

    /// <inheritdoc/>
    protected override string? ErrorFrame(string code, string message) =>
        JsonSerializer.Serialize(new VoxNexusError { Error = message, Code = code, RequestId = "req_fault" }, VoxNexusEmulatorJsonContext.Default.VoxNexusError);

    /// <summary>Seconds of synthetic speech per character of text.</summary>
    public const double TtsSecondsPerCharacter = 0.06;

    private async Task RunTtsAsync(EmulatedStream s, CancellationToken ct)
    {
        using var init = await ReceiveJsonAsync(s, ct);
        if (init is null) return;
        var root = init.RootElement;
        if (!root.TryGetProperty("type", out var type) || type.GetString() != "init")
        {
            s.Server.Violation("the first TTS frame was not init");
            await s.CloseAsync(1008, "init expected");
            return;
        }
        string? voice = root.TryGetProperty("voice_id", out var v) ? v.GetString() : null;
        if (voice is not null && Options.VoxNexusVoices is { } voices && !voices.Contains(voice))
        {
            await s.SendJsonAsync(new VoxNexusError { Error = "Invalid voice_id", Code = "VOICE_NOT_FOUND", RequestId = RequestId(s) }, VoxNexusEmulatorJsonContext.Default.VoxNexusError, ct);
            await s.CloseAsync(1008, "voice not found");
            return;
        }
        int rate = root.TryGetProperty("sample_rate", out var sr) && sr.TryGetInt32(out var r) && r > 0 ? r : 16000;
        string format = root.TryGetProperty("format", out var f) ? f.GetString() ?? "wav" : "wav";
        await s.SendJsonAsync(new VoxNexusTtsReady
        {
            RequestId = RequestId(s), VoiceId = voice, Language = root.TryGetProperty("language", out var l) ? l.GetString() : null, Format = format, SampleRate = rate,
        }, VoxNexusEmulatorJsonContext.Default.VoxNexusTtsReady, ct);
        var text = new StringBuilder();
        while (true)
        {
            using var msg = await ReceiveJsonAsync(s, ct);
            if (msg is null) { s.Server.Violation("client closed before a final text frame"); return; }
            var m = msg.RootElement;
            if (!m.TryGetProperty("type", out var mt) || mt.GetString() != "text") { s.Server.Violation("a TTS frame that is not text"); continue; }
            text.Append(m.TryGetProperty("text", out var tx) ? tx.GetString() : "");
            if (m.TryGetProperty("is_final", out var fin) && fin.ValueKind == JsonValueKind.True) break;
        }
        var pcm = Tone(rate, Math.Max(0.2, text.Length * TtsSecondsPerCharacter));
        s.Record.SentAudioBytes = pcm.Length;
        byte[] wav = format == "wav" ? SpeechStream.Engine.Audio.WavFileWriter.ToWavBytes(pcm, rate) : pcm;
        int chunk = rate / 10 * 2;
        for (int pos = 0, first = 1, sent = 0; pos < wav.Length; first = 0, sent++)
        {
            if (sent == Options.Faults.TtsStallAfterChunks) await Task.Delay(Timeout.Infinite, ct);
            int n = Math.Min(chunk + (first == 1 && format == "wav" ? 44 : 0), wav.Length - pos);
            bool last = pos + n >= wav.Length;
            await s.SendJsonAsync(new VoxNexusAudio { Data = Convert.ToBase64String(wav, pos, n), IsFinal = last }, VoxNexusEmulatorJsonContext.Default.VoxNexusAudio, ct);
            pos += n;
        }
        // Wait for the client's close.
        try { using var end = await ReceiveJsonAsync(s, ct); } catch (WebSocketException) { }
        try { await s.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", ct); } catch (WebSocketException) { }
    }

    private static byte[] Tone(int rate, double seconds)
    {
        int n = (int)(rate * seconds);
        var pcm = new byte[n * 2];
        for (int i = 0; i < n; i++)
        {
            double t = (double)i / rate;
            short v = (short)(8000 * Math.Sin(2 * Math.PI * 220 * t) * (0.6 + 0.4 * Math.Sin(2 * Math.PI * 3 * t)));
            pcm[2 * i] = (byte)v;
            pcm[2 * i + 1] = (byte)(v >> 8);
        }
        return pcm;
    }
}
