using System.Diagnostics;
using SpeechStream.Emulator;
using SpeechStream.Engine.Providers;

namespace SpeechStream.Tests;

/// <summary>The CLI contract (README.md, "When things go wrong"): exit codes, timing, and output kept on failure.</summary>
public class CliContractTests
{
    public static TheoryData<string> Providers => new(ProviderRegistry.Names);

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_wrong_key_exits_3_within_10_seconds_and_never_prints_the_key(string provider)
    {
        const string key = "sk-wrong-key-0f0f0f0f";
        await using var server = Harness.Server(provider, "librivox-2.wav", o => o.ApiKey = "the-right-key");
        var args = new List<string> { "transcribe", Fixtures.Audio("librivox-2.wav"), "--provider", provider, "--endpoint", server.Endpoint.ToString(),
            "--api-key", key, "--verbose", "--speed", "max" };
        if (provider == "Speechall") args.AddRange(new[] { "--model", "deepgram.nova-2" });
        var sw = Stopwatch.StartNew();
        var (code, stdout, stderr) = await CliTests.Run(args.ToArray());
        Assert.True(code == 3, $"{provider}: exit {code}: {stderr}");
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10), $"took {sw.Elapsed}");
        Assert.DoesNotContain(key, stdout + stderr);
        Assert.Contains(ProviderRegistry.Get(provider).Descriptor.ApiKeyVariable, stderr);
        Assert.Single(server.Requests, r => r.Contains("-> 401")); // never retried
    }

    /// <summary>Reconnects exhausted is an incomplete transcript (exit 5), not a bare failure: the rows
    /// received are kept, the open segment is written Unconfirmed, and stderr names the audio without a final.</summary>
    [Fact]
    public async Task A_provider_lost_for_good_exits_5_after_the_retries_and_keeps_what_was_written()
    {
        // The connection drops 10 s in; every reconnect is then refused with 503.
        await using var server = Harness.Server("Voxist", "call-mono-16k.wav", o => { o.Faults.DropAfterAudioSeconds = 10; o.Faults.RejectFromHandshake = 2; });
        var (code, stdout, stderr) = await CliTests.Run("transcribe", Fixtures.Audio("call-mono-16k.wav"), "--endpoint", server.Endpoint.ToString(),
            "--api-key", "K-12345", "--auth", "key", "-l", "en", "--speed", "8", "--format", "csv");
        Assert.True(code == 5, $"exit {code}: {stderr}");
        Assert.Contains("transcript incomplete", stderr);
        Assert.Matches(@"Voxist: \d+\.\d\d-27\.73 s without a confirmed final", stderr); // the file's end, never sent, included
        var rows = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        Assert.NotEmpty(rows); // the finals received before the loss were written and are kept
        Assert.Contains("and mister john dashwood", rows[0]);
        Assert.Contains("503", stderr);
        Assert.True(server.Requests.Count(r => r.Contains("-> 503")) >= 3, string.Join("; ", server.Requests));
    }
}
