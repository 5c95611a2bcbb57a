using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using SpeechStream.Emulator;
using SpeechStream.Engine;
using SpeechStream.Engine.Diagnostics;
using SpeechStream.Engine.Jobs;
using SpeechStream.Engine.Providers;
using SpeechStream.Engine.Transcripts;

namespace SpeechStream.Tests;

/// <summary>What holds for every provider: the one model, the CLI against a server that follows the provider's notes (src/SpeechStream.Engine/Providers/&lt;Name&gt;/README.md), several providers
/// on one file, typed parameters, discovery, and keys that never show.</summary>
public class ProviderModelTests
{
    public static TheoryData<string> Providers => new(ProviderRegistry.Names);

    private static string[] ModelArgs(string provider) => provider == "Speechall" ? new[] { "--model", "deepgram.nova-2", "--option", "quiet_seconds=0.5" } : Array.Empty<string>();

    /// <summary>Transcribe librivox-3 with --endpoint/--api-key/--format jsonl spells the clip.</summary>
    [Theory]
    [MemberData(nameof(Providers))]
    public async Task The_cli_spells_the_clip_for_every_provider_against_a_seed_following_server(string provider)
    {
        await using var server = Harness.Server(provider, "librivox-3.wav");
        var args = new[] { "transcribe", Fixtures.Audio("librivox-3.wav"), "--provider", provider.ToLowerInvariant(), "--endpoint", server.Endpoint.ToString(),
            "--api-key", "K-cli-98765", "--format", "jsonl", "--speed", "max" }.Concat(ModelArgs(provider)).ToArray();
        var (code, stdout, stderr) = await CliTests.Run(args);
        Assert.True(code == 0, stderr);
        var rows = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.All(rows, r => Assert.Equal(provider, r.GetProperty("provider").GetString()));
        Assert.Equal(Fixtures.ReferenceText("librivox-3.wav"), string.Join(" ", rows.OrderBy(r => r.GetProperty("segment").GetInt32()).Select(r => r.GetProperty("text").GetString())));
        Assert.DoesNotContain("K-cli-98765", stdout + stderr);
        Assert.Empty(server.Violations);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Every_clip_spells_its_reference_with_no_protocol_violation(string provider)
    {
        foreach (var wav in new[] { "librivox-1.wav", "librivox-2.wav", "librivox-4.wav", "librivox-5.wav" })
        {
            await using var server = Harness.Server(provider, wav);
            var (results, summary) = await Harness.RunAsync(Harness.Options(server, model: provider == "Speechall" ? "deepgram.nova-2" : null,
                options: provider == "Speechall" ? new Dictionary<string, string> { ["quiet_seconds"] = "0.5" } : null), wav);
            Assert.Equal(Fixtures.ReferenceText(wav), Harness.Joined(results));
            Assert.True(summary.Completed, $"{provider} {wav} did not complete");
            Assert.All(results, r => Assert.True(r.Start is null || r.Start >= 0 && r.Start <= 8, $"{provider}: start {r.Start} is not in seconds"));
            Assert.Empty(server.Violations);
        }
    }

    [Fact]
    public async Task One_file_streams_to_several_providers_at_once_and_a_failing_one_does_not_stop_the_others()
    {
        await using var voxist = Harness.Server("Voxist", "librivox-1.wav");
        await using var smallest = Harness.Server("Smallest", "librivox-1.wav", o => o.ApiKey = "only-this");
        await using var speechall = Harness.Server("Speechall", "librivox-1.wav");
        var results = new ConcurrentQueue<Transcript>();
        var requests = new[]
        {
            new TranscriptionRequest { Path = Fixtures.Audio("librivox-1.wav"), Speed = 0, Session = Harness.Options(voxist, language: "en") },
            new TranscriptionRequest { Path = Fixtures.Audio("librivox-1.wav"), Speed = 0, Session = Harness.Options(smallest, key: "not-that-key-31") },
            new TranscriptionRequest { Path = Fixtures.Audio("librivox-1.wav"), Speed = 0,
                Session = Harness.Options(speechall, model: "deepgram.nova-2", options: new Dictionary<string, string> { ["quiet_seconds"] = "0.5" }) },
        };
        var outcomes = await TranscriptionJob.RunEachAsync(requests, results.Enqueue);
        Assert.Equal(new[] { "Voxist", "Smallest", "Speechall" }, outcomes.Select(o => o.Provider));
        Assert.Null(outcomes[0].Error);
        Assert.Equal(AsrErrorKind.Authentication, Assert.IsType<AsrException>(outcomes[1].Error).Kind);
        Assert.Null(outcomes[2].Error);
        string reference = Fixtures.ReferenceText("librivox-1.wav");
        Assert.Equal(reference, Harness.Joined(results.Where(r => r.Provider == "Voxist")));
        Assert.Equal(reference, Harness.Joined(results.Where(r => r.Provider == "Speechall")));
        Assert.DoesNotContain(results, r => r.Provider == "Smallest");
    }

    [Fact]
    public async Task The_cli_compares_providers_side_by_side_under_emulate()
    {
        var (code, stdout, stderr) = await CliTests.Run("transcribe", Fixtures.Audio("librivox-2.wav"), "--provider", "voxist,smallest,voxnexus",
            "--emulate", "--speed", "max", "--format", "csv");
        Assert.True(code == 0, stderr);
        var rows = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        Assert.Equal(new[] { "Smallest", "VoxNexus", "Voxist" }, rows.Select(r => r.Split(',')[0].Trim('"')).OrderBy(p => p, StringComparer.Ordinal));
        Assert.All(rows, r => Assert.Contains(Fixtures.ReferenceText("librivox-2.wav"), r));
        Assert.DoesNotContain("violation", stderr);
    }

    [Theory]
    [InlineData("Voxist", "model")]
    [InlineData("IApp", "diarize")]
    [InlineData("VoxNexus", "vocabulary")]
    [InlineData("Speechall", "words")]
    public async Task A_typed_parameter_the_provider_lacks_is_refused_before_connecting(string provider, string which)
    {
        await using var server = Harness.Server(provider, "librivox-2.wav");
        var o = Harness.Options(server, model: which == "model" || provider == "Speechall" ? "m" : null, diarize: which == "diarize" ? true : null,
            vocabulary: which == "vocabulary" ? new[] { "x" } : null, wordTimestamps: which == "words" ? true : null);
        var e = await Assert.ThrowsAsync<AsrException>(() => Harness.RunAsync(o, "librivox-2.wav"));
        Assert.Equal("ParameterNotSupported", e.ErrorId);
        Assert.Empty(server.Connections);
    }

    [Fact]
    public void Descriptors_say_what_each_provider_is()
    {
        var d = ProviderRegistry.All.ToDictionary(p => p.Name, p => p.Descriptor);
        // The registry is the list: the default provider comes first, and every provider folder is registered.
        Assert.Equal(ProviderRegistry.DefaultProvider, d.Keys.First());
        var folders = Directory.GetDirectories(Fixtures.RepoFile("src/SpeechStream.Engine/Providers")).Select(Path.GetFileName);
        Assert.Equal(folders.Order(StringComparer.Ordinal), d.Keys.Order(StringComparer.Ordinal));
        Assert.All(d.Values, x => Assert.Equal(x.Name.ToUpperInvariant() + "_API_KEY", x.ApiKeyVariable));
        Assert.Equal(WireTimeUnit.Seconds, d["Voxist"].WireTimeUnit);
        Assert.Equal(WireTimeUnit.None, d["IApp"].WireTimeUnit);
        Assert.Equal(WireTimeUnit.Milliseconds, d["VoxNexus"].WireTimeUnit);
        Assert.All(d.Values, x => Assert.Equal(x.WireTimeUnit != WireTimeUnit.None, ProviderRegistry.Get(x.Name).SendsTimes));
        Assert.Equal(new[] { 16000 }, d["IApp"].SampleRates);
        Assert.True(d["Speechall"].RequiresModel);
        Assert.False(d["Speechall"].Capabilities.HasFlag(ProviderCapabilities.PartialResults));
        Assert.True(d["Smallest"].Capabilities.HasFlag(ProviderCapabilities.Diarization | ProviderCapabilities.WordEndTimes));
        // Every typed parameter is shared by at least two providers.
        foreach (var p in new[] { CommonParameters.Model, CommonParameters.WordTimestamps, CommonParameters.Diarize, CommonParameters.Vocabulary })
            Assert.True(d.Values.Count(x => x.Parameters.HasFlag(p)) >= 2, $"{p}");
        // One folder per provider: the adapter lives in SpeechStream.Engine.Providers.<Name>.
        Assert.All(ProviderRegistry.All, p => Assert.Equal($"SpeechStream.Engine.Providers.{p.Name}", p.GetType().Namespace));
        // The emulator speaks every protocol.
        Assert.Equal(ProviderRegistry.Names, EmulatorRegistry.Providers);
    }

    [Fact]
    public void Completion_lists_languages_and_environments_per_provider()
    {
        Assert.Equal(new[] { "th" }, ProviderRegistry.LanguagesFor(new[] { "iapp" }));
        Assert.Contains("fr-medical", ProviderRegistry.LanguagesFor(new[] { "Voxist", "IApp" }));
        Assert.Contains("th", ProviderRegistry.LanguagesFor(new[] { "Voxist", "IApp" }));
        Assert.Contains("multi", ProviderRegistry.LanguagesFor(null));
        Assert.Equal(new[] { "Production", "Lightning", "Pulse", "PulseUs", "Live", "LiveUs" }, ProviderRegistry.EnvironmentsFor(new[] { "Smallest" }));
        Assert.Contains("Staging", ProviderRegistry.EnvironmentsFor(null));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Trace_logs_of_a_whole_session_never_contain_the_key(string provider)
    {
        const string key = "sk-secret-per-provider-8080";
        var lines = new ConcurrentQueue<string>();
        using var lf = LoggerFactory.Create(b =>
        {
            b.SetMinimumLevel(LogLevel.Trace);
            b.AddProvider(new CallbackLoggerProvider((_, _, m) => lines.Enqueue(m), LogLevel.Trace));
        });
        await using var server = Harness.Server(provider, "librivox-2.wav");
        foreach (var auth in ProviderRegistry.Get(provider).Descriptor.AuthModes)
            await Harness.RunAsync(Harness.Options(server, key: key, auth: auth, model: provider == "Speechall" ? "deepgram.nova-2" : null,
                options: provider == "Speechall" ? new Dictionary<string, string> { ["quiet_seconds"] = "0.3" } : null), "librivox-2.wav", lf: lf);
        Assert.Contains(lines, l => l.Contains("Connecting to"));
        Assert.All(lines, l => Assert.DoesNotContain(key, l));
    }

    [Fact]
    public async Task Speak_writes_a_wav_through_the_cli_emulator()
    {
        string path = Path.Combine(Path.GetTempPath(), $"speak-{Guid.NewGuid():n}.wav");
        try
        {
            var (code, stdout, stderr) = await CliTests.Run("speak", "Hello there", "--out", path, "--emulate", "--voice", "vl-xiaoxiao");
            Assert.True(code == 0, stderr);
            Assert.Contains("0.66 s, 16000 Hz", stdout);
            await using var wav = await Engine.Audio.AudioInput.OpenAsync(path);
            Assert.Equal(0.66, wav.DurationSeconds!.Value, 3);
        }
        finally { File.Delete(path); }
    }
}
