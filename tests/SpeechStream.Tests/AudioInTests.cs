using System.Collections.Concurrent;
using SpeechStream.Cli;
using SpeechStream.Engine.Transcripts.Formats;
using SpeechStream.Emulator;
using SpeechStream.Engine;
using SpeechStream.Engine.Audio;
using SpeechStream.Engine.Jobs;
using SpeechStream.Engine.Transcripts;

namespace SpeechStream.Tests;

/// <summary>Audio input end to end: what arrives at a Voxist-protocol server for every input users bring, standard
/// input, compressed files through ffmpeg, and stereo calls split into one session per channel.</summary>
public class AudioInTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static Task<(int Code, string Out, string Err)> Cli(Stream? stdin, params string[] args) => CliRunner.RunAsync(args, stdin);

    private static short[] Samples(MemoryStream ms)
    {
        var b = ms.ToArray();
        var s = new short[b.Length / 2];
        Buffer.BlockCopy(b, 0, s, 0, s.Length * 2);
        return s;
    }

    /// <summary>Every variant, both sweeps and the compressed files, sent by
    /// `speechstream transcribe F --provider voxist --speed max`, arrive as 16 kHz mono PCM within 40 dB of SoX.</summary>
    public static TheoryData<string> Inputs => new(Fixtures.SoxReferenced.Concat(new[] { "variant.mp3", "variant.flac", "variant.ogg" }));

    [Theory]
    [MemberData(nameof(Inputs))]
    public async Task What_reaches_the_provider_is_16k_mono_pcm_within_40_dB_of_SoX(string file)
    {
        await using var server = EmulatorServer.Start("Voxist", new EmulatorOptions { CaptureAudio = true });
        var (code, _, err) = await Cli(null, "transcribe", Fixtures.Audio(file), "--provider", "voxist", "--speed", "max",
            "--endpoint", server.Endpoint.ToString(), "--api-key", "K-1234", "--language", "en");
        Assert.True(code == 0, err);
        var conn = Assert.Single(server.Connections);
        Assert.Equal("16000", conn.Query["sample_rate"]);
        var ours = Samples(conn.ReceivedAudio!);
        var sox = Fixtures.ReadS16(Fixtures.Reference(Path.GetExtension(file) == ".wav" ? Path.ChangeExtension(file, null) + ".16k.s16le" : file.Replace('.', '-') + ".16k.s16le"));
        output.WriteLine($"{file}: SNR {Fixtures.Snr(sox, ours):0.0} dB vs SoX through the socket, {ours.Length} vs {sox.Length} samples");
        Fixtures.AssertMatchesSox(sox, ours, file);
        Assert.Empty(server.Violations);
    }

    [Theory]
    [InlineData("librivox-2.wav", null)]
    [InlineData("variant.mp3", null)]
    [InlineData("variant-16k-s16le.raw", "s16le:16000:1")]
    public async Task Standard_input_carries_a_wav_a_compressed_stream_or_declared_raw_pcm(string file, string? raw)
    {
        string sidecar = file.StartsWith("librivox") ? file : "librivox-1.wav";
        await using var server = Harness.Server("Voxist", sidecar, o => o.CaptureAudio = true);
        await using var stdin = File.OpenRead(Fixtures.Audio(file));
        var args = new List<string> { "transcribe", "-", "--speed", "max", "--endpoint", server.Endpoint.ToString(), "--api-key", "K-1234", "-l", "en", "-f", "csv" };
        if (raw is not null) args.AddRange(new[] { "--raw", raw });
        var (code, stdout, err) = await Cli(stdin, args.ToArray());
        Assert.True(code == 0, err);
        Assert.Contains("\"standard input\"", stdout.Replace("\"-\"", "\"standard input\""));
        Assert.Contains(Fixtures.ReferenceText(sidecar).Split(' ')[2], stdout);
        var expected = await Fixtures.ConvertAsync(Fixtures.Audio(sidecar));
        var got = Samples(server.Connections.Single().ReceivedAudio!);
        Assert.InRange(got.Length, expected.Length * 0.99, expected.Length * 1.01);
        Assert.Empty(server.Violations);
    }

    [Fact]
    public async Task Standard_input_cannot_feed_several_sessions()
    {
        var (code, _, err) = await Cli(new MemoryStream(new byte[100]), "transcribe", "-", "--provider", "voxist,smallest", "--emulate", "--speed", "max");
        Assert.Equal(2, code);
        Assert.Contains("save it to a file first", err);
    }

    /// <summary>The stereo call under Split: the agent's turns from the left session, the caller's from the right,
    /// starts within 0.3 s of call.json, Speaker = the channel, and the output merged in time order.</summary>
    [Fact]
    public async Task Split_transcribes_each_side_of_a_call_in_its_own_session_in_time_order()
    {
        string call = Fixtures.Audio("call.json");
        await using var left = EmulatorServer.Start("Voxist", new EmulatorOptions { Script = TranscriptScript.FromTurns(call, "left") });
        await using var right = EmulatorServer.Start("Voxist", new EmulatorOptions { Script = TranscriptScript.FromTurns(call, "right") });
        var template = new TranscriptionRequest { Path = Fixtures.Audio("call-stereo-8k-mulaw.wav"), Speed = 4, Session = Harness.Options(left, language: "en") };
        var plan = FileTranscriber.Plan(template, new[] { template.Session }, ChannelMode.Split);
        Assert.Equal(new[] { ("left", ChannelSelection.Left), ("right", ChannelSelection.Right) }, plan.Select(p => (p.Session.Channel!, p.Channels)));
        // Each side to its own emulator, which knows only that side's words.
        var requests = new[] { plan[0], Redirect(plan[1], right) };
        var output = new ConcurrentQueue<Transcript>();
        var outcomes = await TranscriptionJob.RunEachAsync(requests, output.Enqueue);
        Assert.All(outcomes, o => Assert.Null(o.Error));
        var results = output.ToList();
        var starts = results.Select(r => r.Start!.Value).ToList();
        Assert.Equal(starts.OrderBy(x => x), starts); // merged in time order
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(call));
        foreach (var turn in doc.RootElement.GetProperty("turns").EnumerateArray())
        {
            string channel = turn.GetProperty("channel").GetString()!, clip = turn.GetProperty("clip").GetString()!;
            double start = turn.GetProperty("start").GetDouble();
            var first = results.Where(r => r.Start >= start - 0.3).OrderBy(r => r.Start).First();
            Assert.Equal(channel, first.Channel);
            Assert.Equal(channel, first.Speaker);
            Assert.InRange(first.Start!.Value, start - 0.3, start + 0.3);
            Assert.StartsWith(first.Text, Fixtures.ReferenceText(clip + ".wav"));
        }
        Assert.Equal(Fixtures.ReferenceText("librivox-1.wav") + " " + Fixtures.ReferenceText("librivox-3.wav") + " " + Fixtures.ReferenceText("librivox-5.wav"),
            Harness.Joined(results.Where(r => r.Channel == "left")));
        Assert.Empty(left.Violations);
        Assert.Empty(right.Violations);
    }

    private static TranscriptionRequest Redirect(TranscriptionRequest r, EmulatorServer server) => new()
    {
        Path = r.Path, Speed = r.Speed, Channels = r.Channels, RequireStereo = r.RequireStereo, Session = r.Session.With(endpoint: server.Endpoint),
    };

    /// <summary>In process only: the expected samples are this process's own conversion, compared bit for bit, which
    /// holds only where the CLI runs the same resampler code. The native build (x86-64-v3) has no AVX-512 block paths
    /// (<c>ProduceUpsampled</c>), whose sums round 20-32 of these 443,680 samples 1 LSB apart from the FMA path's on
    /// an AVX-512 machine.</summary>
    [Fact]
    [Trait("Category", CliRunner.InProcessOnly)]
    public async Task Channels_split_on_the_cli_opens_two_sessions_each_carrying_its_own_channel()
    {
        await using var server = EmulatorServer.Start("Voxist", new EmulatorOptions { CaptureAudio = true });
        string file = Fixtures.Audio("call-stereo-8k-mulaw.wav");
        var (code, stdout, err) = await Cli(null, "transcribe", file, "--channels", "split", "--speed", "max",
            "--endpoint", server.Endpoint.ToString(), "--api-key", "K-1234", "-l", "en", "-f", "csv");
        Assert.True(code == 0, err);
        Assert.Equal(2, server.Connections.Count);
        var received = server.Connections.Select(c => Samples(c.ReceivedAudio!)).ToList();
        var leftSide = await Fixtures.ConvertAsync(file, ch: ChannelSelection.Left);
        var rightSide = await Fixtures.ConvertAsync(file, ch: ChannelSelection.Right);
        Assert.Contains(received, r => r.SequenceEqual(leftSide));
        Assert.Contains(received, r => r.SequenceEqual(rightSide));
        Assert.False(leftSide.SequenceEqual(rightSide));
        Assert.Contains("\"left\"", stdout);
        Assert.Contains("\"right\"", stdout);
    }

    [Fact]
    public async Task Split_refuses_a_mono_file_naming_it()
    {
        await using var server = Harness.Server("Voxist", "librivox-2.wav");
        var template = new TranscriptionRequest { Path = Fixtures.Audio("librivox-2.wav"), Speed = 0, Session = Harness.Options(server, language: "en") };
        var e = await Assert.ThrowsAsync<AudioFormatException>(() =>
            TranscriptionJob.RunEachAsync(FileTranscriber.Plan(template, new[] { template.Session }, ChannelMode.Split), _ => { }));
        Assert.Equal("SplitNeedsStereo", e.ErrorId);
        Assert.Contains("librivox-2.wav", e.Message);
    }

    [Theory]
    [InlineData("split", ChannelMode.Split)]
    [InlineData("Left", ChannelMode.Left)]
    [InlineData("MIX", ChannelMode.Mix)]
    public void Channel_modes_parse(string text, ChannelMode mode) => Assert.Equal(mode, FileTranscriber.ParseChannelMode(text));

    [Fact]
    public void A_bad_channel_mode_names_the_choices() =>
        Assert.Contains("mix, left, right or split", Assert.Throws<AsrException>(() => FileTranscriber.ParseChannelMode("both")).Message);

    private static Transcript Final(double start, string channel) =>
        new() { Provider = "P", SessionId = channel, Text = $"{channel}@{start}", IsFinal = true, Start = start, Channel = channel };

    [Fact]
    public void The_merger_holds_a_final_until_the_other_side_has_passed_it()
    {
        var output = new List<string>();
        using var m = new TimeOrderedMerger(2, t => output.Add(t.Text), TimeSpan.FromMinutes(1));
        m.Add(0, Final(5, "left"));
        Assert.Empty(output); // the right side may still have something earlier
        m.Add(1, Final(2, "right"));
        Assert.Equal(new[] { "right@2" }, output); // left is already past 2; left@5 waits for the right side to pass 5
        m.Add(1, Final(8, "right"));
        Assert.Equal(new[] { "right@2", "left@5" }, output); // right@8 waits for the left side
        m.Complete(0);
        Assert.Equal(new[] { "right@2", "left@5", "right@8" }, output);
    }

    [Fact]
    public void The_merger_never_holds_longer_than_its_bound()
    {
        var output = new ConcurrentQueue<string>();
        using var m = new TimeOrderedMerger(2, t => output.Enqueue(t.Text), TimeSpan.FromMilliseconds(100));
        m.Add(0, Final(1, "left"));
        SpinWait.SpinUntil(() => !output.IsEmpty, TimeSpan.FromSeconds(5));
        Assert.Equal(new[] { "left@1" }, output);
    }
}

/// <summary>Tests that change PATH run alone.</summary>
[CollectionDefinition("Environment", DisableParallelization = true)]
public class EnvironmentCollection { }

[Collection("Environment")]
public class FfmpegMissingTests
{
    [Fact]
    public async Task Without_ffmpeg_a_compressed_file_names_its_format_and_how_to_install_ffmpeg()
    {
        string? path = Environment.GetEnvironmentVariable("PATH");
        string empty = Directory.CreateTempSubdirectory("nopath").FullName;
        Environment.SetEnvironmentVariable("PATH", empty);
        try
        {
            var e = await Assert.ThrowsAsync<AudioFormatException>(() => AudioInput.OpenAsync(Fixtures.Audio("variant.flac")));
            Assert.Equal("FfmpegMissing", e.ErrorId);
            Assert.Contains("FLAC", e.Message);
            Assert.Contains("install", e.Message);
            Assert.Contains("variant.flac", e.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable("PATH", path);
            Directory.Delete(empty);
        }
    }
}
