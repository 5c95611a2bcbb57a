using System.Text.Json;
using SpeechStream.Emulator;
using SpeechStream.Engine;
using SpeechStream.Engine.Diagnostics;
using SpeechStream.Engine.Providers;
using SpeechStream.Engine.Providers.VoxNexus;
using SpeechStream.Engine.Sessions;

namespace SpeechStream.Tests;

/// <summary>VoxNexus realtime STT and TTS (src/SpeechStream.Engine/Providers/VoxNexus/README.md) against the emulator.</summary>
public class VoxNexusTests
{
    [Fact]
    public async Task Token_auth_init_then_ready_base64_json_audio_flush_and_millisecond_times_in_seconds()
    {
        await using var server = Harness.Server("VoxNexus", "librivox-3.wav");
        var (results, summary) = await Harness.RunAsync(Harness.Options(server), "librivox-3.wav", partials: true);
        var conn = Assert.Single(server.Connections);
        Assert.Equal(Harness.Key, conn.Query["token"]);
        var frames = conn.TextFrames.ToList();
        using (var init = JsonDocument.Parse(frames[0]))
        {
            var r = init.RootElement;
            Assert.Equal(("init", "en-US", "pcm", 16000), (r.GetProperty("type").GetString(), r.GetProperty("language").GetString(), r.GetProperty("format").GetString(), r.GetProperty("sample_rate").GetInt32()));
            Assert.True(r.GetProperty("enable_timestamps").GetBoolean());
            Assert.False(r.GetProperty("enable_language_detection").GetBoolean());
            Assert.False(r.TryGetProperty("model_id", out _)); // only when the user sets one (ambiguity 2)
        }
        Assert.Equal("{\"type\":\"command\",\"command\":\"flush\"}", frames[^1]);
        Assert.Equal(2, frames.Count); // every other frame was audio, decoded by the emulator
        Assert.All(conn.AudioFrames.SkipLast(1), n => Assert.Equal(6400, n)); // unpaced: 200 ms, the top of the range in the provider's README
        Assert.Equal(Fixtures.ReferenceText("librivox-3.wav"), Harness.Joined(results));
        var first = results.First(r => r.IsFinal);
        Assert.Equal((0.25, 4.15), (first.Start!.Value, first.End!.Value));
        Assert.Equal((0.25, 0.58), (first.Words[0].Start!.Value, first.Words[0].End!.Value));
        Assert.Equal(0.95, first.Confidence);
        Assert.All(results.Where(r => !r.IsFinal), r => Assert.Empty(r.Words));
        Assert.True(summary.Completed);
        Assert.Empty(server.Violations);
    }

    [Fact]
    public async Task Model_and_header_auth_and_language_detection()
    {
        await using var server = Harness.Server("VoxNexus", "librivox-2.wav");
        await Harness.RunAsync(Harness.Options(server, auth: "header", model: "vn-stt-ultra", language: "auto", wordTimestamps: false), "librivox-2.wav");
        var conn = server.Connections.Single();
        Assert.Equal(Harness.Key, conn.Headers["X-Api-Key"]);
        Assert.False(conn.Query.ContainsKey("token"));
        using var init = JsonDocument.Parse(conn.TextFrames.First());
        var r = init.RootElement;
        Assert.Equal("vn-stt-ultra", r.GetProperty("model_id").GetString());
        Assert.False(r.TryGetProperty("language", out _));
        Assert.True(r.GetProperty("enable_language_detection").GetBoolean());
        Assert.False(r.GetProperty("enable_timestamps").GetBoolean());
    }

    [Fact]
    public async Task An_error_frame_keeps_its_code()
    {
        await using var server = Harness.Server("VoxNexus", "librivox-2.wav", o => o.Faults.ErrorAfterAudioSeconds = 1);
        var e = await Assert.ThrowsAsync<AsrException>(() => Harness.RunAsync(Harness.Options(server), "librivox-2.wav"));
        Assert.Equal(("VoxNexusError", "UNSUPPORTED_FORMAT"), (e.ErrorId, e.ProviderCode));
        Assert.Contains("Invalid audio format", e.Message);
    }

    [Fact]
    public async Task No_ready_within_the_connect_timeout_is_a_timeout_and_no_audio_is_sent_before_ready()
    {
        // A server that upgrades and never answers init.
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var received = new List<string>();
        var serve = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            var stream = client.GetStream();
            var head = new byte[4096];
            int n = await stream.ReadAsync(head);
            string key = System.Text.RegularExpressions.Regex.Match(System.Text.Encoding.ASCII.GetString(head, 0, n), @"Sec-WebSocket-Key: (\S+)").Groups[1].Value;
            string accept = Convert.ToBase64String(System.Security.Cryptography.SHA1.HashData(System.Text.Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n"));
            using var ws = System.Net.WebSockets.WebSocket.CreateFromStream(stream, new System.Net.WebSockets.WebSocketCreationOptions { IsServer = true });
            var buf = new byte[65536];
            try
            {
                while (true)
                {
                    var r = await ws.ReceiveAsync(buf, CancellationToken.None);
                    if (r.MessageType == System.Net.WebSockets.WebSocketMessageType.Close) break;
                    lock (received) received.Add(System.Text.Encoding.UTF8.GetString(buf, 0, r.Count));
                }
            }
            catch (System.Net.WebSockets.WebSocketException) { }
        });
        var options = new SessionOptions
        {
            Provider = "VoxNexus", ApiKey = new Secret("k-1234"), Endpoint = new Uri($"ws://127.0.0.1:{port}/v1/stt/realtime"),
            ConnectTimeout = TimeSpan.FromSeconds(1), MaxConnectAttempts = 1,
        };
        var e = await Assert.ThrowsAsync<AsrException>(() => Harness.RunAsync(options, "librivox-2.wav"));
        Assert.Equal(AsrErrorKind.Timeout, e.Kind); // the 1 s connect timeout, the one attempt allowed
        await Task.WhenAny(serve, Task.Delay(2000));
        listener.Stop();
        lock (received) Assert.All(received, f => Assert.Contains("\"init\"", f));
    }

    [Fact]
    public void The_parser_accepts_the_REST_timing_names_and_ignores_words_on_partials()
    {
        var p = new VoxNexusProtocol().CreateParser(new ParserContext { Options = new SessionOptions { Provider = "VoxNexus" }, Language = "en-US" });
        var partial = Assert.Single(p.ParseText("""{"type":"transcript","text":"hel","is_final":false,"offset":100,"duration":400,"confidence":0.2,"words":[{"word":"hel","offset":100,"duration":400}]}""").Results);
        Assert.Empty(partial.Words);
        Assert.Null(partial.Confidence);
        Assert.Equal((0.1, 0.5), (partial.Start!.Value, partial.End!.Value));
        var final = Assert.Single(p.ParseText("""{"type":"transcript","text":"hello","is_final":true,"words":[{"word":"hello","start_time_ms":120,"end_time_ms":610}]}""").Results);
        Assert.Equal((0.12, 0.61), (final.Words[0].Start!.Value, final.Words[0].End!.Value));
        Assert.Equal(final.Words[0].Start, final.Start);
        Assert.True(p.ParseText("""{"type":"flush_done","request_id":"r"}""").Complete);
        Assert.Same(ParsedMessage.Ignored, p.ParseText("""{"type":"llm","delta":"x","is_final":false}"""));
    }

    [Fact]
    public async Task Tts_writes_a_wav_whose_header_and_duration_match_what_was_received()
    {
        await using var server = EmulatorServer.Start("VoxNexus");
        string path = Path.Combine(Path.GetTempPath(), $"tts-{Guid.NewGuid():n}.wav");
        try
        {
            var result = await VoxNexusSpeechSynthesizer.SynthesizeAsync(new SpeechRequest
            {
                Texts = new[] { "Hello, this is a test message.", "Goodbye." }, OutFile = path, Voice = "vl-xiaoxiao",
                Language = "en-US", SampleRate = 22050, Speed = 1.1, Style = "cheerful", Degree = 0.5, ApiKey = new Secret(Harness.Key),
                Endpoint = new Uri($"ws://127.0.0.1:{server.Port}{VoxNexusEmulator.TtsPath}"),
            });
            var conn = server.Connections.Single();
            var frames = conn.TextFrames.ToList();
            using (var init = JsonDocument.Parse(frames[0]))
            {
                var r = init.RootElement;
                Assert.Equal(("init", "vl-xiaoxiao", "wav", 22050), (r.GetProperty("type").GetString(), r.GetProperty("voice_id").GetString(), r.GetProperty("format").GetString(), r.GetProperty("sample_rate").GetInt32()));
                Assert.Equal("cheerful", r.GetProperty("voice_config").GetProperty("style").GetString());
                Assert.False(r.TryGetProperty("pitch", out _));
            }
            Assert.Equal(new[] { false, true }, frames.Skip(1).Take(2).Select(f => JsonDocument.Parse(f).RootElement.GetProperty("is_final").GetBoolean()));
            var bytes = File.ReadAllBytes(path);
            Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString(bytes, 0, 4));
            Assert.Equal(bytes.Length - 8, BitConverter.ToInt32(bytes, 4));
            Assert.Equal(22050, BitConverter.ToInt32(bytes, 24));
            Assert.Equal(conn.SentAudioBytes, BitConverter.ToInt32(bytes, 40));
            Assert.Equal(WavWriterTests.FormerHeader(22050, 1, 16, conn.SentAudioBytes), bytes[..44]); // NAudio writes our former header
            Assert.Equal(conn.SentAudioBytes, result.AudioBytes);
            Assert.Equal(38 * VoxNexusEmulator.TtsSecondsPerCharacter, result.DurationSeconds, 2);
            // The file reads back through our own WAV reader with the same duration.
            await using var wav = await Engine.Audio.AudioInput.OpenAsync(path);
            Assert.Equal(result.DurationSeconds, wav.DurationSeconds!.Value, 3);
            Assert.Empty(server.Violations);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public async Task Tts_unknown_voice_is_a_clear_error_with_its_code_and_a_bad_key_hides_the_key()
    {
        await using var server = EmulatorServer.Start("VoxNexus", new EmulatorOptions { ApiKey = "right", VoxNexusVoices = new HashSet<string> { "vl-xiaoxiao" } });
        var endpoint = new Uri($"ws://127.0.0.1:{server.Port}{VoxNexusEmulator.TtsPath}");
        string path = Path.Combine(Path.GetTempPath(), $"tts-{Guid.NewGuid():n}.wav");
        var e = await Assert.ThrowsAsync<AsrException>(() => VoxNexusSpeechSynthesizer.SynthesizeAsync(new SpeechRequest
            { Texts = new[] { "hi" }, OutFile = path, Voice = "vl-nobody", ApiKey = new Secret("right"), Endpoint = endpoint }));
        Assert.Equal(("VOICE_NOT_FOUND", AsrErrorKind.InvalidInput), (e.ProviderCode, e.Kind));
        var auth = await Assert.ThrowsAsync<AsrException>(() => VoxNexusSpeechSynthesizer.SynthesizeAsync(new SpeechRequest
            { Texts = new[] { "hi" }, OutFile = path, ApiKey = new Secret("wrong-tts-key-99"), Endpoint = endpoint }));
        Assert.Equal(AsrErrorKind.Authentication, auth.Kind);
        Assert.DoesNotContain("wrong-tts-key-99", auth.Message);
        File.Delete(path);
    }

    [Fact]
    public void Chunks_with_a_riff_header_give_their_format_and_lose_the_header()
    {
        var wav = new byte[44 + 6];
        "RIFF"u8.CopyTo(wav);
        "WAVEfmt "u8.CopyTo(wav.AsSpan(8));
        BitConverter.TryWriteBytes(wav.AsSpan(16), 16);
        BitConverter.TryWriteBytes(wav.AsSpan(22), (short)2);
        BitConverter.TryWriteBytes(wav.AsSpan(24), 24000);
        BitConverter.TryWriteBytes(wav.AsSpan(34), (short)16);
        "data"u8.CopyTo(wav.AsSpan(36));
        BitConverter.TryWriteBytes(wav.AsSpan(40), 6);
        wav[44] = 7;
        int rate = 16000;
        var pcm = VoxNexusSpeechSynthesizer.StripWavHeader(wav, ref rate, out int channels, out int bits);
        Assert.Equal((6, 7, 24000, 2, 16), (pcm.Length, (int)pcm.Span[0], rate, channels, bits));
        var plain = new byte[] { 1, 2, 3, 4 };
        Assert.Equal(4, VoxNexusSpeechSynthesizer.StripWavHeader(plain, ref rate, out _, out _).Length);
    }
}
