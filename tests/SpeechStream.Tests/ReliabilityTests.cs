using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using SpeechStream.Emulator;
using SpeechStream.Engine;
using SpeechStream.Engine.Jobs;
using SpeechStream.Engine.Sessions;
using SpeechStream.Engine.Transcripts;

namespace SpeechStream.Tests;

/// <summary>Faults survived without losing audio or results.</summary>
public class ReliabilityTests
{
    private static IReadOnlyList<string> ReferenceWords(string wav)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.ChangeExtension(Fixtures.Audio(wav), ".json")));
        return doc.RootElement.GetProperty("words").EnumerateArray().Select(w => w.GetProperty("word").GetString()!).ToList();
    }

    private static IReadOnlyList<string> FinalWords(IEnumerable<Transcript> results) =>
        results.Where(r => r.IsFinal).OrderBy(r => r.Segment).SelectMany(r => r.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();

    /// <summary>A connection dropped 10 s into the 28 s call at speed 8 still yields every
    /// word exactly once, for a provider with word end times and one with start times only.</summary>
    [Theory]
    [InlineData("Voxist")]
    [InlineData("Smallest")]
    [InlineData("VoxNexus")]
    public async Task A_connection_dropped_mid_stream_is_resumed_and_every_word_arrives_exactly_once(string provider)
    {
        await using var server = Harness.Server(provider, "call-mono-16k.wav", o => o.Faults.DropAfterAudioSeconds = 10);
        var (results, summary) = await Harness.RunAsync(Harness.Options(server, language: provider == "Voxist" ? "en" : null), "call-mono-16k.wav", speed: 8);
        Assert.Equal(2, server.Connections.Count);
        Assert.Equal("dropped by fault", server.Connections.First().Ending);
        Assert.Equal(ReferenceWords("call-mono-16k.wav"), FinalWords(results));
        Assert.Equal(1, summary.Reconnects);
        Assert.True(summary.AudioReplayedSeconds > 0, "audio not covered by a final was replayed");
        Assert.Empty(summary.Lost);
        Assert.True(summary.Completed);
        Assert.InRange(summary.AudioSentSeconds, 27.5, 28.5);
        // Times stay on the file's timeline after the rebase: non-decreasing starts.
        var starts = results.Where(r => r.IsFinal).OrderBy(r => r.Segment).Select(r => r.Start!.Value).ToList();
        Assert.Equal(starts.OrderBy(x => x), starts);
    }

    [Fact]
    public async Task Reconnects_count_consecutive_failures_not_lifetime_ones()
    {
        // Every connection is dropped 6 s into its own audio: four drops in 28 s, each after progress.
        await using var server = Harness.Server("Voxist", "call-mono-16k.wav", o => { o.Faults.DropAfterAudioSeconds = 6; o.Faults.DropTimes = 4; });
        var (results, summary) = await Harness.RunAsync(Harness.Options(server, language: "en", attempts: 3), "call-mono-16k.wav", speed: 8);
        Assert.Equal(4, summary.Reconnects);
        Assert.Equal(ReferenceWords("call-mono-16k.wav"), FinalWords(results));
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(402)]
    [InlineData(403)]
    public async Task Refusals_that_retrying_cannot_fix_are_not_retried(int status)
    {
        await using var server = Harness.Server("Smallest", "librivox-2.wav", o => { o.Faults.RejectHandshakes = 5; o.Faults.RejectStatus = status; });
        var e = await Assert.ThrowsAsync<AsrException>(() => Harness.RunAsync(Harness.Options(server), "librivox-2.wav"));
        Assert.Single(server.Requests); // one handshake: no retry (five refusals were armed)
        Assert.Equal(status, e.HttpStatus);
        Assert.False(e.IsTransient);
        Assert.Contains("Smallest", e.Message);
        Assert.Contains(status.ToString(), e.Message);
    }

    [Fact]
    public async Task Close_1008_is_never_retried()
    {
        // A language the account is not entitled to: the client lets every listed language through, the server refuses.
        await using var server = Harness.Server("Voxist", "librivox-2.wav", o =>
        {
            o.Faults.CloseAfterAudioSeconds = 0.1;
            o.Faults.CloseCode = 1008;
            o.Faults.CloseReason = "Model not entitled";
        });
        var e = await Assert.ThrowsAsync<AsrException>(() => Harness.RunAsync(Harness.Options(server, language: "fr-medical"), "librivox-2.wav"));
        Assert.Equal((1008, "VoxistPolicyViolation"), (e.CloseCode!.Value, e.ErrorId));
        Assert.Single(server.Connections);
    }

    [Fact]
    public async Task After_the_drain_timeout_a_segment_with_only_partials_is_a_final_marked_unconfirmed()
    {
        await using var server = Harness.Server("Voxist", "librivox-1.wav", o => o.Faults.StallAfterEndOfStream = true);
        var lines = new ConcurrentQueue<string>();
        using var lf = Microsoft.Extensions.Logging.LoggerFactory.Create(b => b.AddProvider(new Engine.Diagnostics.CallbackLoggerProvider((_, _, m) => lines.Enqueue(m), Microsoft.Extensions.Logging.LogLevel.Warning)));
        var (results, summary) = await Harness.RunAsync(Harness.Options(server, language: "en", drain: TimeSpan.FromSeconds(1)), "librivox-1.wav", lf: lf);
        Assert.True(summary.DrainTimedOut);
        var confirmed = results.Where(r => r.IsFinal && !r.Unconfirmed).ToList();
        var unconfirmed = Assert.Single(results, r => r.Unconfirmed);
        Assert.True(unconfirmed.IsFinal);
        Assert.Equal("and mister john dashwood had then leisure to consider how much there", Assert.Single(confirmed).Text);
        Assert.StartsWith(unconfirmed.Text, "might be prudently in his power to do for them");
        var range = Assert.Single(summary.Uncovered);
        Assert.InRange(range.Start, 4.3, 4.6); // Voxist words have start times only: coverage ends at "there" (4.33 s)
        Assert.InRange(range.End, 7.0, 7.2);
        Assert.Contains(lines, l => l.Contains(range.ToString()));
        Assert.Contains(lines, l => l.Contains("Unconfirmed"));
    }

    /// <summary>A caller that goes quiet for longer than the server's idle timeout keeps the connection: silence goes out
    /// every 250 ms against a 3 s timeout (a margin load cannot eat), and the test waits on what the server saw, not on
    /// the clock alone. Without the keepalive, the server's idle close ends the session.</summary>
    [Fact]
    public async Task A_silent_caller_is_kept_alive_past_the_servers_idle_timeout()
    {
        const double idleTimeout = 3;
        // No script: the emulator finds speech by energy on the timeline it receives (the silence sent in the pause
        // shifts the clip's second half), as a real recogniser would.
        await using var server = EmulatorServer.Start("Voxist", new EmulatorOptions { Faults = { IdleTimeoutSeconds = idleTimeout } });
        var pcm = await Fixtures.ConvertAsync(Fixtures.Audio("librivox-2.wav"));
        var bytes = new byte[pcm.Length * 2];
        Buffer.BlockCopy(pcm, 0, bytes, 0, bytes.Length);
        AsrSession Open(TimeSpan? keepAlive) => AsrSession.ConnectAsync(Harness.Options(server, language: "en") with
        {
            IdleKeepAlive = keepAlive, MaxConnectAttempts = 1, DrainTimeout = TimeSpan.FromSeconds(5),
        }).GetAwaiter().GetResult();

        await using (var kept = Open(TimeSpan.FromMilliseconds(250)))
        {
            await kept.SendAudioAsync(bytes.AsMemory(0, 32000));
            var quiet = System.Diagnostics.Stopwatch.StartNew();
            var conn = server.Connections.Single();
            while (quiet.Elapsed < TimeSpan.FromSeconds(idleTimeout + 1)) await Task.Delay(100); // quiet for longer than the server allows
            Assert.DoesNotContain(conn.Sent, x => x.Contains("idle timeout"));
            await kept.SendAudioAsync(bytes.AsMemory(32000));
            var summary = await kept.CompleteAsync();
            Assert.True(summary.IsWhole, summary.Describe());
            Assert.True(summary.KeepAlives >= 8, $"{summary.KeepAlives} keepalives");
        }

        await using var dropped = Open(null);
        await dropped.SendAudioAsync(bytes.AsMemory(0, 32000));
        var idle = server.Connections.Last();
        var e = await Assert.ThrowsAsync<AsrException>(() => dropped.Completion.WaitAsync(TimeSpan.FromSeconds(60))); // ends on the server's idle close
        Assert.Equal(1008, e.CloseCode);
        Assert.Contains("idle timeout", e.Message);
        Assert.Contains(idle.Sent, x => x == "close 1008 idle timeout");
    }

    [Fact]
    public async Task A_token_that_expires_mid_stream_is_renewed_before_it_does_and_no_word_is_lost_or_doubled()
    {
        await using var server = Harness.Server("Voxist", "call-mono-16k.wav", o => o.TokenLifetime = TimeSpan.FromSeconds(4));
        var (results, summary) = await Harness.RunAsync(Harness.Options(server, language: "en"), "call-mono-16k.wav", speed: 4);
        Assert.True(summary.Reconnects >= 1, "the token was renewed");
        Assert.True(((VoxistEmulator)server.Emulator).TokensIssued >= 2);
        Assert.DoesNotContain(server.Connections, c => c.Sent.Any(x => x.Contains("Token expired")));
        Assert.Equal(ReferenceWords("call-mono-16k.wav"), FinalWords(results));
    }

    [Fact]
    public void The_token_expiry_is_read_from_the_jwt_and_renewal_comes_early()
    {
        static string B64(string x) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(x)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var exp = DateTimeOffset.UtcNow.AddHours(1);
        var url = new Uri($"wss://h/ws?token={B64("{}")}.{B64($"{{\"exp\":{exp.ToUnixTimeSeconds()}}}")}.sig");
        var got = Engine.Providers.Voxist.VoxistProtocol.TokenExpiry(url)!.Value;
        Assert.Equal(exp.ToUnixTimeSeconds(), got.ToUnixTimeSeconds());
        var renew = Connector.RenewalTime(new Engine.Providers.ConnectRequest { Uri = url, ExpiresAt = got, IssuedAt = DateTimeOffset.UtcNow });
        Assert.InRange((got - renew!.Value).TotalSeconds, 299, 301);
        Assert.Null(Engine.Providers.Voxist.VoxistProtocol.TokenExpiry(new Uri("wss://h/ws?token=not-a-jwt")));
    }

    [Fact]
    public async Task Hostile_frames_are_skipped_and_the_session_goes_on()
    {
        await using var server = Harness.Server("Voxist", "librivox-1.wav", o => o.Faults.HostileFramesAfterAudioSeconds = 2);
        var (results, summary) = await Harness.RunAsync(Harness.Options(server, language: "en"), "librivox-1.wav");
        Assert.True(summary.Completed);
        Assert.Equal(Fixtures.ReferenceText("librivox-1.wav"), Harness.Joined(results));
        Assert.Contains(server.Connections.Single().Sent, x => x.StartsWith("hostile frames"));
        // The frame size limit is configurable: a larger limit reads the 10 MB frame (malformed, so ignored).
        var big = Harness.Options(server, language: "en");
        var (again, _) = await Harness.RunAsync(new SessionOptions { Provider = big.Provider, Language = "en", ApiKey = big.ApiKey, Endpoint = big.Endpoint, MaxFrameBytes = 16 << 20 }, "librivox-1.wav");
        Assert.Equal(Fixtures.ReferenceText("librivox-1.wav"), Harness.Joined(again));
    }

    /// <summary>The stalled server never answers again: only the drain timeout can end the run, and the summary says
    /// it did (no clock is read: a loaded machine would make an elapsed-time bound flaky).</summary>
    [Fact]
    public async Task A_server_that_stalls_mid_stream_costs_at_most_the_drain_timeout()
    {
        await using var server = Harness.Server("Smallest", "librivox-1.wav", o => o.Faults.StallAfterAudioSeconds = 5);
        var (results, summary) = await Harness.RunAsync(Harness.Options(server, drain: TimeSpan.FromSeconds(2)), "librivox-1.wav");
        Assert.True(summary.DrainTimedOut);
        Assert.Equal("and mister john dashwood had then leisure to consider how much there", results.First(r => r.IsFinal).Text);
    }

    public enum Phase { Connecting, Streaming, Draining, Reconnecting }

    /// <summary>Cancellation ends the run in every state a session can be in. The test waits until the state is shown
    /// (the upgrade request arrived at a listener that never answers; audio arriving at the emulator; the end of stream
    /// received; the engine's "Reconnecting in" warning after the first connection was dropped), then cancels. Each
    /// state's own end lies minutes away (a 180 s connect timeout, a 28 s call at real time, a 120 s drain timeout, a
    /// 120 s retry delay), so a run that ends cancelled, with the server showing no later state, was ended by the
    /// cancellation. No clock is read: how fast Ctrl+C returns is checked where users press it (CliStopTests,
    /// tests/pester/Stop.Tests.ps1).</summary>
    [Theory]
    [InlineData(Phase.Connecting)]
    [InlineData(Phase.Streaming)]
    [InlineData(Phase.Draining)]
    [InlineData(Phase.Reconnecting)]
    public async Task Cancellation_ends_the_run_in_every_state(Phase phase)
    {
        await using var server = Harness.Server("Voxist", "call-mono-16k.wav", o =>
        {
            if (phase == Phase.Draining) o.Faults.StallAfterEndOfStream = true;
            if (phase == Phase.Reconnecting) { o.Faults.DropAfterAudioSeconds = 1; o.Faults.DropTimes = 100; }
        });
        // Connecting: a listener that takes the upgrade request and never answers it.
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var endpoint = phase == Phase.Connecting ? new Uri($"ws://127.0.0.1:{((System.Net.IPEndPoint)silent.LocalEndpoint).Port}/ws") : server.Endpoint;
        var options = new SessionOptions
        {
            Provider = "Voxist", Language = "en", ApiKey = new Engine.Diagnostics.Secret(Harness.Key), AuthMode = "key", Endpoint = endpoint,
            DrainTimeout = TimeSpan.FromSeconds(120), ConnectTimeout = TimeSpan.FromSeconds(180),
            RetryBaseDelay = TimeSpan.FromSeconds(phase == Phase.Reconnecting ? 120 : 1), MaxConnectAttempts = 5,
        };
        var warnings = new ConcurrentQueue<string>();
        using var lf = LoggerFactory.Create(b => b.AddProvider(new Engine.Diagnostics.CallbackLoggerProvider((_, _, m) => warnings.Enqueue(m), LogLevel.Warning)));
        using var cts = new CancellationTokenSource();
        var run = Harness.RunAsync(options, "call-mono-16k.wav", speed: phase == Phase.Streaming ? 1 : 0, lf: lf, ct: cts.Token);
        EmulatedConnection First() => server.Connections.First();
        System.Net.Sockets.TcpClient? waiting = null;
        switch (phase)
        {
            case Phase.Connecting:
                waiting = await silent.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromMinutes(1));
                var head = new byte[4096];
                int got = 0;
                while (!System.Text.Encoding.ASCII.GetString(head, 0, got).Contains("\r\n\r\n"))
                {
                    int n = await waiting.GetStream().ReadAsync(head.AsMemory(got)).AsTask().WaitAsync(TimeSpan.FromMinutes(1));
                    Assert.True(n > 0, "the client hung up before sending its upgrade request");
                    got += n;
                }
                Assert.StartsWith("GET /ws?", System.Text.Encoding.ASCII.GetString(head, 0, got));
                break;
            case Phase.Streaming:
                await Harness.WaitUntilAsync(() => !server.Connections.IsEmpty && First().AudioFrames.Count >= 2, "audio is arriving", run);
                Assert.False(First().EndOfStreamReceived, "still streaming: the end of stream has not been sent");
                break;
            case Phase.Draining:
                await Harness.WaitUntilAsync(() => !server.Connections.IsEmpty && First().EndOfStreamReceived, "the end of stream was received", run);
                break;
            case Phase.Reconnecting:
                await Harness.WaitUntilAsync(() => warnings.Any(w => w.Contains("Reconnecting in", StringComparison.OrdinalIgnoreCase)),
                    "the engine waits to reconnect", run);
                Assert.Equal("dropped by fault", First().Ending);
                break;
        }
        Assert.False(run.IsCompleted, $"{phase}: the run is still in the state under test when cancelled");
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        switch (phase)
        {
            case Phase.Streaming:
                // The client closes with 1001 (going away); the close reaches the emulator after the run has returned.
                await Harness.WaitUntilAsync(() => First().ClientCloseCode is not null, "the client's close frame arrived");
                Assert.Equal(1001, First().ClientCloseCode);
                Assert.False(First().EndOfStreamReceived, "cancelled before the end of the call");
                break;
            case Phase.Draining:
                Assert.Single(server.Connections); // not reconnected to recover the stalled results
                break;
            case Phase.Reconnecting:
                Assert.Single(server.Connections); // the 120 s retry delay was not waited out
                break;
        }
        waiting?.Dispose();
    }

    [Fact]
    public async Task Dispose_is_idempotent_from_any_thread_and_leaves_no_task_running()
    {
        await using var server = Harness.Server("Voxist", "librivox-1.wav");
        var session = await AsrSession.ConnectAsync(Harness.Options(server, language: "en"));
        await session.SendAudioAsync(new byte[3200]);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () => await session.DisposeAsync())));
        await session.DisposeAsync();
        Assert.True(session.Completion.IsCompleted);
        Assert.Equal(SessionState.Closed, session.State);
        Assert.True(session.Transcripts.Completion.IsCompleted);
    }

    [Theory]
    [InlineData("ws://asr.example.com/ws", false)]
    [InlineData("ws://10.0.0.5:8080/ws", false)]
    [InlineData("ws://127.0.0.1:9/ws", true)]
    [InlineData("ws://localhost:9/ws", true)]
    [InlineData("ws://[::1]:9/ws", true)]
    [InlineData("wss://asr.example.com/ws", true)]
    public void Unencrypted_endpoints_off_this_machine_are_refused_unless_allowed(string url, bool allowed)
    {
        var options = new SessionOptions { Provider = "Voxist", ApiKey = new Engine.Diagnostics.Secret("k-1234"), Endpoint = new Uri(url) };
        if (allowed) ResolvedSettings.Resolve(Engine.Providers.ProviderRegistry.Get("Voxist"), options);
        else
        {
            var e = Assert.Throws<AsrException>(() => ResolvedSettings.Resolve(Engine.Providers.ProviderRegistry.Get("Voxist"), options));
            Assert.Equal("UnencryptedConnectionRefused", e.ErrorId);
            ResolvedSettings.Resolve(Engine.Providers.ProviderRegistry.Get("Voxist"),
                new SessionOptions { Provider = "Voxist", ApiKey = options.ApiKey, Endpoint = options.Endpoint, AllowUnencrypted = true });
        }
    }
}
