using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using SpeechStream.Emulator;
using SpeechStream.Engine;
using SpeechStream.Engine.Diagnostics;
using SpeechStream.Engine.Jobs;
using SpeechStream.Engine.Sessions;
using SpeechStream.Engine.Transcripts;

namespace SpeechStream.Tests;

/// <summary>The Voxist protocol (src/SpeechStream.Engine/Providers/Voxist/README.md) against the loopback emulator.</summary>
public class VoxistTests
{
    internal static Task<(List<Transcript> Results, SessionSummary Summary)> RunAsync(EmulatorServer server, string wav,
        string key = Harness.Key, string? auth = null, double speed = 0, bool partials = false, TimeSpan? drain = null,
        ILoggerFactory? lf = null, string? language = "en", int attempts = 3) =>
        Harness.RunAsync(Harness.Options(server, key, auth, language, drain: drain, attempts: attempts), wav, speed, partials, lf);

    internal static EmulatorServer Server(string wav, Action<EmulatorOptions>? configure = null) => Harness.Server("Voxist", wav, configure);

    private static string Joined(IEnumerable<Transcript> finals) => Harness.Joined(finals);

    [Fact]
    public async Task Token_auth_exchanges_the_key_for_a_token_and_never_sends_the_key_on_the_socket()
    {
        await using var server = Server("librivox-2.wav");
        var (results, _) = await RunAsync(server, "librivox-2.wav");
        var conn = Assert.Single(server.Connections);
        Assert.True(conn.Query.ContainsKey("token"));
        Assert.False(conn.Query.ContainsKey("api_key"));
        Assert.Equal("en", conn.Query["lang"]);
        Assert.Equal("16000", conn.Query["sample_rate"]);
        Assert.Equal(1, ((VoxistEmulator)server.Emulator).TokensIssued);
        Assert.Contains(server.Requests, r => r.StartsWith("GET /websocket -> 200"));
        Assert.Equal(Fixtures.ReferenceText("librivox-2.wav"), Joined(results));
        Assert.Empty(server.Violations);
    }

    [Fact]
    public async Task Key_auth_puts_api_key_in_the_query_and_skips_the_token_request()
    {
        await using var server = Server("librivox-2.wav");
        var (results, _) = await RunAsync(server, "librivox-2.wav", auth: "key");
        var conn = Assert.Single(server.Connections);
        Assert.Equal("test-key-1234", conn.Query["api_key"]);
        Assert.DoesNotContain(server.Requests, r => r.Contains("/websocket"));
        Assert.Equal(Fixtures.ReferenceText("librivox-2.wav"), Joined(results));
    }

    [Fact]
    public async Task Unpaced_audio_goes_in_500_ms_binary_frames_of_pcm_only_then_eof_and_Done()
    {
        await using var server = Server("librivox-1.wav");
        await RunAsync(server, "librivox-1.wav");
        var conn = Assert.Single(server.Connections);
        var frames = conn.AudioFrames.ToArray();
        Assert.All(frames[..^1], f => Assert.Equal(16000, f)); // --speed max: the plugin's largest chunk, 500 ms
        Assert.InRange(frames[^1], 2, 16000);
        Assert.Equal(113600 * 2, conn.AudioBytes); // every sample of the data chunk, and no header
        Assert.Equal(new[] { "{\"eof\":1}", "Done" }, conn.TextFrames.ToArray());
        Assert.Equal("server-close 1000", conn.Ending);
        Assert.Empty(server.Violations);
    }

    [Fact]
    public async Task Real_time_pacing_follows_the_schedule()
    {
        await using var server = Server("librivox-2.wav");
        await RunAsync(server, "librivox-2.wav", speed: 4);
        var conn = Assert.Single(server.Connections);
        Assert.All(conn.AudioFrames.ToArray()[..^1], f => Assert.Equal(3200, f)); // paced: the recommended 100 ms
        var times = conn.AudioFrameTimes.ToArray();
        // 30 chunks of 100 ms at 4x: chunk n is due at n * 25 ms after pacing starts, which is after the connection was
        // accepted (where the server's clock starts), so the last arrives no sooner than 29 * 25 ms on that clock. Measured
        // from the first frame instead, a first frame held up by a busy machine made the span look short.
        Assert.True(times[^1] >= 0.725, $"{times.Length} frames, the last at {times[^1]:0.000} s");
    }

    [Theory]
    [InlineData(VoxistEndOfStreamMode.EofOnly)]
    [InlineData(VoxistEndOfStreamMode.DoneOnly)]
    public async Task Either_end_signal_completes_the_session(VoxistEndOfStreamMode mode)
    {
        await using var server = Server("librivox-3.wav", o => o.VoxistEndOfStream = mode);
        var (results, summary) = await RunAsync(server, "librivox-3.wav");
        Assert.True(summary.Completed);
        Assert.False(summary.DrainTimedOut);
        Assert.Equal(Fixtures.ReferenceText("librivox-3.wav"), Joined(results));
    }

    [Fact]
    public async Task Partials_precede_finals_and_words_carry_start_times_in_seconds()
    {
        await using var server = Server("librivox-1.wav");
        var (results, _) = await RunAsync(server, "librivox-1.wav", partials: true);
        Assert.Contains(results, r => !r.IsFinal);
        foreach (var p in results.Where(r => !r.IsFinal))
        {
            var final = results.Single(r => r.IsFinal && r.Segment == p.Segment);
            Assert.StartsWith(p.Text, final.Text);
        }
        var first = results.First(r => r.IsFinal && r.Segment == 0);
        Assert.Equal("and", first.Words[0].Text);
        Assert.Equal(0.15, first.Words[0].Start!.Value, 2);
        Assert.Equal(0.15, first.Start!.Value, 2);
        Assert.Null(first.End); // Voxist gives start times only
        Assert.Null(first.Words[0].End);
        Assert.Equal(new[] { 0, 1 }, results.Where(r => r.IsFinal).Select(r => r.Segment).ToArray());
        Assert.All(results, r => Assert.NotNull(r.Latency));
    }

    [Fact]
    public async Task A_repeated_final_for_a_segment_is_an_upsert_not_a_second_row()
    {
        await using var server = Server("librivox-1.wav", o => o.RepeatFinals = true);
        var (results, summary) = await RunAsync(server, "librivox-1.wav");
        Assert.Equal(2, results.Count);
        Assert.Equal(2, summary.Finals);
        Assert.Equal(Fixtures.ReferenceText("librivox-1.wav"), Joined(results));
    }

    [Theory]
    [InlineData("token")]
    [InlineData("key")]
    public async Task A_bad_key_gives_an_auth_error_that_does_not_show_the_key(string auth)
    {
        await using var server = Server("librivox-2.wav", o => o.ApiKey = "the-right-key");
        var e = await Assert.ThrowsAsync<AsrException>(() => RunAsync(server, "librivox-2.wav", key: "wrong-key-98765", auth: auth));
        Assert.Equal(AsrErrorKind.Authentication, e.Kind);
        Assert.Equal("AuthenticationFailed", e.ErrorId);
        Assert.Equal(401, e.HttpStatus);
        Assert.DoesNotContain("wrong-key-98765", e.ToString());
        Assert.Contains("VOXIST_API_KEY", e.Message);
        // Never retried: one request only.
        Assert.Single(server.Requests);
    }

    [Theory]
    [InlineData("fr-medical", 1008, "VoxistPolicyViolation")] // e.g. a language the account is not entitled to
    [InlineData("sv", 1011, "VoxistEngineUnavailable")]
    public async Task Close_codes_map_to_clear_errors(string language, int code, string errorId)
    {
        await using var server = Server("librivox-2.wav", o =>
        {
            if (code != 1008) return;
            o.Faults.CloseAfterAudioSeconds = 0.1;
            o.Faults.CloseCode = 1008;
            o.Faults.CloseReason = "Model not entitled";
        });
        var e = await Assert.ThrowsAsync<AsrException>(() => RunAsync(server, "librivox-2.wav", language: language));
        Assert.Equal(errorId, e.ErrorId);
        Assert.Equal(code, e.CloseCode);
        Assert.Contains(code.ToString(), e.Message);
    }

    [Fact]
    public async Task A_language_outside_the_list_is_refused_before_connecting_and_an_alias_in_any_case_is_taken()
    {
        await using var server = Server("librivox-2.wav");
        var e = await Assert.ThrowsAsync<AsrException>(() => RunAsync(server, "librivox-2.wav", language: "xx"));
        Assert.Equal("LanguageUnsupported", e.ErrorId);
        Assert.Equal(AsrErrorKind.InvalidInput, e.Kind);
        Assert.Empty(server.Requests);
        await RunAsync(server, "librivox-2.wav", language: "EN-us"); // an alias, in any case
        Assert.Contains("GET /ws -> 101", server.Requests);
    }

    [Fact]
    public async Task Close_1013_is_retried_after_retryAfterMs_and_no_word_is_lost_or_doubled()
    {
        await using var server = Server("librivox-1.wav", o =>
        {
            o.Faults.CloseAfterAudioSeconds = 3;
            o.Faults.CloseCode = 1013;
            o.Faults.CloseReason = "{\"error\":\"server_overloaded\",\"retryAfterMs\":200}";
        });
        var (results, summary) = await RunAsync(server, "librivox-1.wav");
        Assert.Equal(2, server.Connections.Count);
        Assert.Equal(1, summary.Reconnects);
        Assert.True(summary.AudioReplayedSeconds > 0);
        Assert.Equal(Fixtures.ReferenceText("librivox-1.wav"), Joined(results));
        Assert.DoesNotContain(server.Violations, v => !v.Contains("without end of stream"));
    }

    [Fact]
    public async Task Transient_handshake_failures_are_retried_with_backoff()
    {
        await using var server = Server("librivox-2.wav", o => { o.Faults.RejectHandshakes = 2; o.Faults.RejectStatus = 503; });
        var (results, _) = await RunAsync(server, "librivox-2.wav", auth: "key");
        Assert.Equal(2, server.Requests.Count(r => r.Contains("-> 503")));
        Assert.Equal(Fixtures.ReferenceText("librivox-2.wav"), Joined(results));
    }

    [Fact]
    public async Task Sessions_share_a_retry_pipeline_and_each_logs_its_own_retries()
    {
        await using var failing = Server("librivox-2.wav", o => { o.Faults.RejectHandshakes = 1; o.Faults.RejectStatus = 503; });
        await using var fine = Server("librivox-2.wav");
        var failingLog = new WarningLog();
        var fineLog = new WarningLog();
        await Task.WhenAll(
            RunAsync(failing, "librivox-2.wav", auth: "key", lf: new LoggerFactory(new[] { failingLog })),
            RunAsync(fine, "librivox-2.wav", auth: "key", lf: new LoggerFactory(new[] { fineLog })));
        Assert.Contains(failingLog.Lines, l => l.StartsWith("Connecting to Voxist failed (attempt 1 of 3)"));
        Assert.DoesNotContain(fineLog.Lines, l => l.StartsWith("Connecting to Voxist failed"));
    }

    /// <summary>Keeps the warnings logged.</summary>
    private sealed class WarningLog : ILoggerProvider, ILogger
    {
        public ConcurrentQueue<string> Lines { get; } = new();
        public ILogger CreateLogger(string categoryName) => this;
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) Lines.Enqueue(formatter(state, exception));
        }
        public void Dispose() { }
    }

    [Fact]
    public async Task Retries_stop_after_the_attempt_budget()
    {
        await using var server = Server("librivox-2.wav", o => { o.Faults.RejectHandshakes = 10; o.Faults.RejectStatus = 503; });
        var e = await Assert.ThrowsAsync<AsrException>(() => RunAsync(server, "librivox-2.wav", auth: "key", attempts: 3));
        Assert.Equal("ProviderUnavailable", e.ErrorId);
        Assert.Equal(3, server.Requests.Count(r => r.Contains("-> 503")));
    }

    [Fact]
    public async Task Drain_timeout_keeps_what_arrived_and_says_which_audio_got_no_final()
    {
        await using var server = Server("librivox-1.wav", o => o.Faults.StallAfterEndOfStream = true);
        var (results, summary) = await RunAsync(server, "librivox-1.wav", drain: TimeSpan.FromSeconds(1));
        Assert.True(summary.DrainTimedOut);
        Assert.False(summary.Completed);
        var range = Assert.Single(summary.Uncovered);
        Assert.Equal(7.1, range.End, 2);
        Assert.True(range.Start < 7.1);
        // The first segment's final arrived during streaming and is kept.
        Assert.Contains(results, r => r.IsFinal && r.Segment == 0);
    }

    /// <summary>Cancelled once audio of the 28 s call is arriving at real time: the run ends cancelled, long before the
    /// call's end, and the emulator sees the connection end (no clock is read: the end of the call is 27 s away).</summary>
    [Fact]
    public async Task Cancellation_stops_the_session_and_closes_the_socket()
    {
        await using var server = Server("call-mono-16k.wav");
        using var cts = new CancellationTokenSource();
        var run = FileTranscriber.RunAsync(new TranscriptionRequest
        {
            Path = Fixtures.Audio("call-mono-16k.wav"),
            Speed = 1,
            Session = new SessionOptions { Provider = "Voxist", ApiKey = new Secret("k-123456"), Endpoint = server.Endpoint },
        }, _ => { }, null, null, cts.Token);
        await Harness.WaitUntilAsync(() => !server.Connections.IsEmpty && server.Connections.First().AudioFrames.Count >= 2, "audio is arriving", run);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        var conn = Assert.Single(server.Connections);
        Assert.False(conn.EndOfStreamReceived, "cancelled before the end of the call");
        await Harness.WaitUntilAsync(() => conn.Ending is not null, "the emulator saw the connection end");
    }

    [Fact]
    public async Task Trace_logging_of_whole_sessions_never_contains_the_key_or_the_token()
    {
        const string key = "sk-very-secret-key-4242";
        var lines = new ConcurrentQueue<string>();
        using var lf = LoggerFactory.Create(b =>
        {
            b.SetMinimumLevel(LogLevel.Trace);
            b.AddProvider(new CallbackLoggerProvider((_, _, m) => lines.Enqueue(m), LogLevel.Trace));
        });
        await using var server = Server("librivox-2.wav");
        await RunAsync(server, "librivox-2.wav", key: key, lf: lf);
        await RunAsync(server, "librivox-2.wav", key: key, auth: "key", lf: lf);
        Assert.NotEmpty(lines);
        var token = server.Connections.First().Query["token"];
        Assert.All(lines, l => { Assert.DoesNotContain(key, l); Assert.DoesNotContain(token, l); });
        Assert.Contains(lines, l => l.Contains("token=***"));
        Assert.Contains(lines, l => l.Contains("api_key=***"));
    }

    [Fact]
    public async Task Without_a_sidecar_the_emulator_finds_voiced_regions()
    {
        await using var server = EmulatorServer.Start("Voxist");
        var (results, _) = await RunAsync(server, "librivox-5.wav");
        Assert.NotEmpty(results);
        Assert.All(results, r => Assert.StartsWith("[speech ", r.Text));
    }

    [Fact]
    public async Task Missing_key_names_the_environment_variable()
    {
        var old = Environment.GetEnvironmentVariable("VOXIST_API_KEY");
        Environment.SetEnvironmentVariable("VOXIST_API_KEY", null);
        try
        {
            var e = await Assert.ThrowsAsync<AsrException>(() => AsrSession.ConnectAsync(new SessionOptions { Provider = "Voxist" }));
            Assert.Equal("ApiKeyMissing", e.ErrorId);
            Assert.Contains("VOXIST_API_KEY", e.Message);
        }
        finally { Environment.SetEnvironmentVariable("VOXIST_API_KEY", old); }
    }

    [Fact]
    public void Token_url_is_the_same_host_with_path_websocket()
    {
        Assert.Equal("https://api-asr.voxist.com/websocket?engine=voxist-rt-2",
            Engine.Providers.Voxist.VoxistProtocol.TokenUri(new Uri("wss://api-asr.voxist.com/ws"), "voxist-rt-2").ToString());
        Assert.Equal("http://127.0.0.1:9000/websocket?engine=e",
            Engine.Providers.Voxist.VoxistProtocol.TokenUri(new Uri("ws://127.0.0.1:9000/custom/ws"), "e").ToString());
    }
}

public class EndToEndTests
{
    [Theory]
    [InlineData("librivox-1.wav")]
    [InlineData("librivox-2.wav")]
    [InlineData("librivox-3.wav")]
    [InlineData("librivox-4.wav")]
    [InlineData("librivox-5.wav")]
    [InlineData("call-mono-16k.wav")]
    public async Task Every_clip_through_engine_and_emulator_spells_its_reference(string wav)
    {
        await using var server = VoxistTests.Server(wav);
        var (results, summary) = await VoxistTests.RunAsync(server, wav);
        Assert.Equal(Fixtures.ReferenceText(wav), string.Join(" ", results.OrderBy(r => r.Segment).Select(r => r.Text)));
        Assert.True(summary.Completed);
        Assert.Empty(server.Violations);
    }
}
