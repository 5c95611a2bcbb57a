using System.Text.Json;
using SpeechStream.Cli;
using SpeechStream.Engine.Transcripts.Formats;
using SpeechStream.Engine.Transcripts;
using SpeechStream.Emulator;

namespace SpeechStream.Tests;

public class CliTests
{
    /// <summary>Runs a command line in process, or the <c>SPEECHSTREAM_CLI</c> executable (<see cref="CliRunner"/>).</summary>
    internal static Task<(int Code, string Out, string Err)> Run(params string[] args) => CliRunner.RunAsync(args);

    [Fact]
    public async Task Transcribe_against_a_voxist_server_prints_jsonl_finals_that_spell_the_clip()
    {
        await using var server = VoxistTests.Server("librivox-1.wav");
        var (code, stdout, stderr) = await Run("transcribe", Fixtures.Audio("librivox-1.wav"), "--provider", "voxist",
            "--endpoint", server.Endpoint.ToString(), "--api-key", "K-123456", "--auth", "token", "--format", "jsonl", "--speed", "max");
        Assert.True(code == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var texts = lines.Select(l => JsonDocument.Parse(l).RootElement).Select(r => (r.GetProperty("segment").GetInt32(), r.GetProperty("text").GetString())).ToList();
        Assert.Equal(Fixtures.ReferenceText("librivox-1.wav"), string.Join(" ", texts.OrderBy(t => t.Item1).Select(t => t.Item2)));
        Assert.Contains("\"isFinal\":true", lines[0]);
        Assert.DoesNotContain("K-123456", stdout + stderr);
    }

    [Fact]
    public async Task Csv_has_the_Export_Csv_columns_and_one_row_per_final()
    {
        var (code, stdout, stderr) = await Run("transcribe", Fixtures.Audio("librivox-2.wav"), "--emulate", "--format", "csv", "--speed", "max");
        Assert.True(code == 0, stderr);
        var rows = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(string.Join(",", TranscriptColumns.Names.Select(c => $"\"{c}\"")), rows[0].TrimEnd('\r'));
        Assert.Equal(2, rows.Length); // librivox-2 is one segment
        Assert.Contains(Fixtures.ReferenceText("librivox-2.wav"), rows[1]);
    }

    [Fact]
    public void Csv_columns_are_the_Transcript_properties_in_declaration_order()
    {
        var props = typeof(Engine.Transcripts.Transcript).GetProperties().Select(p => p.Name).ToArray();
        Assert.Equal(props, TranscriptColumns.Names);
    }

    [Fact]
    public async Task A_wrong_key_exits_3_without_printing_the_key_even_verbose()
    {
        await using var server = EmulatorServer.Start("Voxist", new EmulatorOptions { ApiKey = "right-key" });
        var (code, stdout, stderr) = await Run("transcribe", Fixtures.Audio("librivox-2.wav"), "--endpoint", server.Endpoint.ToString(),
            "--api-key", "wrong-key-55555", "--verbose", "--speed", "max");
        Assert.Equal(3, code);
        Assert.DoesNotContain("wrong-key-55555", stdout + stderr);
        Assert.Contains("refused the API key", stderr);
    }

    [Fact]
    public async Task A_bad_file_exits_2_and_names_the_file()
    {
        var bad = Fixtures.Audio("bad/not-audio.wav");
        var (code, _, stderr) = await Run("transcribe", bad, "--emulate", "--speed", "max");
        Assert.Equal(2, code);
        Assert.Contains(bad, stderr);
    }

    [Fact]
    public async Task Bad_usage_exits_2()
    {
        Assert.Equal(2, (await Run("transcribe")).Code);
        Assert.Equal(2, (await Run("transcribe", "x.wav", "--format", "xml")).Code);
        var (code, _, err) = await Run("transcribe", Fixtures.Audio("librivox-2.wav"), "--provider", "nope", "--emulate");
        Assert.Equal(2, code);
        Assert.Contains("Voxist", err);
        Assert.Equal(2, (await Run("transcribe", Fixtures.Audio("librivox-2.wav"), "--speed", "fast", "--emulate")).Code);
    }

    [Fact]
    public async Task An_unreachable_provider_exits_4_after_retries()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now
        var (code, _, stderr) = await Run("transcribe", Fixtures.Audio("librivox-2.wav"), "--endpoint", $"ws://127.0.0.1:{port}/ws",
            "--api-key", "k-1234", "--auth", "key", "--speed", "max");
        Assert.Equal(4, code);
        Assert.Contains("connection refused", stderr);
    }

    [Fact]
    public void Raw_spec_parses_encoding_rate_and_channels()
    {
        Assert.Equal(new Engine.Audio.AudioFormat(Engine.Audio.SampleEncoding.MuLaw, 8000, 2), CliApp.ParseRaw("mulaw:8000:2"));
        Assert.Throws<Engine.AsrException>(() => CliApp.ParseRaw("s16le:x"));
        Assert.Throws<Engine.AsrException>(() => CliApp.ParseRaw("mp3:8000:1"));
    }
}
