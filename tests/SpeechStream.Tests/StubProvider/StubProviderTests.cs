using SpeechStream.Emulator;
using SpeechStream.Engine.Providers;

namespace SpeechStream.Tests.StubProvider;

/// <summary>The registries change for the whole process while a stub is registered: these tests run alone, after the
/// parallel ones, so that no other test sees a sixth provider.</summary>
[CollectionDefinition("Registry", DisableParallelization = true)]
public class RegistryCollection { }

/// <summary>
/// A sixth provider added the way src/SpeechStream.Engine/Providers/README.md ("Adding a provider") says, with its
/// protocol (<see cref="StubProtocol"/>) and emulator (<see cref="StubEmulator"/>) in this folder and nothing else
/// edited: once registered, every list of providers has it and a transcription runs against its emulator.
/// </summary>
[Collection("Registry")]
public class StubProviderTests
{
    [Fact]
    public async Task A_registered_stub_provider_transcribes_against_its_emulator()
    {
        using var provider = ProviderRegistry.Register(new StubProtocol());
        using var emulator = EmulatorRegistry.Register(StubEmulator.Registration);

        await using var server = Harness.Server(StubProtocol.ProviderName, "librivox-3.wav", o => o.CaptureAudio = true);
        var (results, summary) = await Harness.RunAsync(Harness.Options(server), "librivox-3.wav");

        Assert.True(summary.IsWhole, summary.ToString());
        Assert.Equal(Fixtures.ReferenceText("librivox-3.wav"), Harness.Joined(results));
        Assert.All(results, r => Assert.Equal(StubProtocol.ProviderName, r.Provider));
        var conn = Assert.Single(server.Connections);
        Assert.Equal(Harness.Key, conn.Headers["X-Stub-Key"]);
        Assert.Equal("en", conn.Query["language"]);
        Assert.Empty(server.Violations);
    }

    [Fact]
    public async Task Every_list_of_providers_reads_the_registry()
    {
        using (ProviderRegistry.Register(new StubProtocol()))
        using (EmulatorRegistry.Register(StubEmulator.Registration))
        {
            Assert.Equal(StubProtocol.ProviderName, ProviderRegistry.Names.Last());
            Assert.Same(ProviderRegistry.Get("stub"), ProviderRegistry.All[^1]);
            Assert.Equal(ProviderRegistry.Names, EmulatorRegistry.Providers);
            Assert.Contains("xx-stub", ProviderRegistry.LanguagesFor(null));
            Assert.Equal(new[] { "header" }, ProviderRegistry.AuthModesFor(new[] { StubProtocol.ProviderName }));
            Assert.Contains(ProviderRegistry.OptionsFor(null), o => o.Name == "shout");

            // speechstream providers describes it, and --provider's help names it.
            var (code, stdout, _) = await CliRunner.RunAsync(new[] { "providers" });
            Assert.Equal(0, code);
            Assert.Contains("Stub (seed tests/SpeechStream.Tests/StubProvider/README.md)", stdout);
            Assert.Contains("option shout (bool, default false)", stdout);
            var help = await CliRunner.RunAsync(new[] { "transcribe", "--help" });
            Assert.Contains(string.Join(", ", ProviderRegistry.Names).ToLowerInvariant() + " (any case)", help.Out);
            Assert.Contains(", stub (any case)", help.Out);
            Assert.DoesNotContain("stub: header", help.Out); // one auth mode: no choice to list under --auth

            Assert.Throws<ArgumentException>(() => ProviderRegistry.Register(new StubProtocol()));
        }
        Assert.DoesNotContain(StubProtocol.ProviderName, ProviderRegistry.Names);
        Assert.DoesNotContain(StubProtocol.ProviderName, EmulatorRegistry.Providers);
        Assert.Null(ProviderRegistry.Find(StubProtocol.ProviderName));
    }
}
