using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using SpeechStream.Emulator;
using SpeechStream.Engine.Diagnostics;
using SpeechStream.Engine.Jobs;
using SpeechStream.Engine.Sessions;
using SpeechStream.Engine.Transcripts;

namespace SpeechStream.Tests;

/// <summary>Runs the engine against a provider's emulator, replaying a fixture's sidecar transcript.</summary>
internal static class Harness
{
    public const string Key = "test-key-1234";

    /// <summary>An emulator of <paramref name="provider"/> that replays <paramref name="wav"/>'s sidecar JSON.</summary>
    public static EmulatorServer Server(string provider, string wav, Action<EmulatorOptions>? configure = null)
    {
        var o = new EmulatorOptions { Script = TranscriptScript.Load(Path.ChangeExtension(Fixtures.Audio(wav), ".json")) };
        configure?.Invoke(o);
        return EmulatorServer.Start(provider, o);
    }

    /// <summary>Session options for <paramref name="server"/>: its endpoint, a test key, short retry delays and drain.</summary>
    public static SessionOptions Options(EmulatorServer server, string? key = Key, string? auth = null, string? language = null,
        string? model = null, IReadOnlyDictionary<string, string>? options = null, TimeSpan? drain = null, int attempts = 3,
        bool? wordTimestamps = null, bool? diarize = null, IReadOnlyList<string>? vocabulary = null, Uri? endpoint = null) => new()
    {
        Provider = server.Emulator.Provider,
        Language = language,
        ApiKey = key is null ? null : new Secret(key),
        AuthMode = auth,
        Endpoint = endpoint ?? server.Endpoint,
        Model = model,
        WordTimestamps = wordTimestamps,
        Diarize = diarize,
        Vocabulary = vocabulary,
        ProviderOptions = options ?? new Dictionary<string, string>(),
        DrainTimeout = drain ?? TimeSpan.FromSeconds(10),
        RetryBaseDelay = TimeSpan.FromMilliseconds(20),
        MaxConnectAttempts = attempts,
    };

    /// <summary>Transcribes <paramref name="wav"/> through the engine with <paramref name="options"/>.</summary>
    public static async Task<(List<Transcript> Results, SessionSummary Summary)> RunAsync(SessionOptions options, string wav,
        double speed = 0, bool partials = false, ILoggerFactory? lf = null, CancellationToken ct = default)
    {
        var results = new ConcurrentQueue<Transcript>();
        var summary = await FileTranscriber.RunAsync(new TranscriptionRequest
        {
            Path = Fixtures.Audio(wav),
            Speed = speed,
            IncludePartials = partials,
            Session = options,
        }, results.Enqueue, null, lf, ct);
        return (results.ToList(), summary);
    }

    /// <summary>Waits until <paramref name="reached"/> holds (checked every 20 ms on what the emulator records), and
    /// fails naming <paramref name="state"/> if <paramref name="run"/> ends first or a minute goes by (a guard against a
    /// hang, not a measure of speed).</summary>
    public static async Task WaitUntilAsync(Func<bool> reached, string state, Task? run = null)
    {
        var guard = Task.Delay(TimeSpan.FromMinutes(1));
        while (!reached())
        {
            Assert.False(run?.IsCompleted ?? false, $"the run ended before reaching the state under test: {state}");
            Assert.False(guard.IsCompleted, $"not reached within a minute: {state}");
            await Task.Delay(20);
        }
    }

    /// <summary>The text of the finals, in segment order.</summary>
    public static string Joined(IEnumerable<Transcript> results) =>
        string.Join(" ", results.Where(t => t.IsFinal).OrderBy(t => t.Segment).Select(t => t.Text));
}
