using SpeechStream.Emulator;
using SpeechStream.Engine;
using SpeechStream.Engine.Jobs;
using SpeechStream.Engine.Providers.Smallest;
using SpeechStream.Engine.Providers.Voxist;
using SpeechStream.Engine.Sessions;

namespace SpeechStream.Tests;

/// <summary>
/// The services as their own clients see them today (each provider's README, "Sources"), against emulator profiles
/// that behave so: Voxist's newer engine that answers <c>Done</c> with <c>Done!</c> and never closes, Smallest's
/// unified route, its error frames, its repeated <c>is_last</c>, Speechall behind a real-time recogniser, and a close
/// 1000 that leaves results owed, for every provider.
/// </summary>
public class CurrentServiceTests
{
    private static Dictionary<string, string> Option(string key, string value) => new() { [key] = value };

    /// <summary>Every provider in the registry.</summary>
    public static TheoryData<string> EveryProvider => new(Engine.Providers.ProviderRegistry.Names);

    private static void AssertWhole(ProfileRun run, string wav = "librivox-1.wav")
    {
        Assert.True(run.Error is null, run.Error?.Message);
        Assert.True(run.Summary!.IsWhole, run.Summary.Describe());
        Assert.Equal(ProfileTests.ReferenceWords(wav), run.ConfirmedWords);
        Assert.Equal(0, Verdicts.ExitCode(run.Verdict));
    }

    /// <summary>The newer Voxist engine: the last finals, then a bare <c>Done!</c>, and the socket held open. The session
    /// completes on the ack (plus the completion grace) and closes itself, within 2 s of it, on one connection.</summary>
    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    public async Task Voxist_done_ack_that_never_closes_is_a_whole_transcript_and_we_close_promptly(double speed)
    {
        var run = await ProfileTests.RunAsync("Voxist", "librivox-1.wav", "done-ack", speed, drain: TimeSpan.FromSeconds(30));
        await using var _ = run.Server;
        AssertWhole(run);
        var conn = Assert.Single(run.Server.Connections);
        Assert.Equal("Done!", conn.Sent.Last());
        Assert.DoesNotContain(conn.Sent, s => s.StartsWith("close", StringComparison.Ordinal)); // the server never closed
        Assert.Equal(1000, conn.ClientCloseCode);
        double afterAck = conn.ClientClosedAt!.Value - conn.CompletionSentAt!.Value;
        Assert.InRange(afterAck, 0, 2.0);
        Assert.Empty(run.Server.Violations);
    }

    /// <summary>The ack can land ahead of the last final (the LiveKit plugin saw it on a loaded pod): the final 300 ms
    /// after <c>Done!</c> is kept.</summary>
    [Fact]
    public async Task Voxist_a_final_after_the_done_ack_is_kept()
    {
        var run = await ProfileTests.RunAsync("Voxist", "librivox-1.wav", "done-ack,late-final", 0);
        await using var _ = run.Server;
        AssertWhole(run);
        Assert.Single(run.Server.Connections);
    }

    /// <summary>The end signal of the first published Voxist samples (src/SpeechStream.Engine/Providers/Voxist/README.md) alone against the newer engine: <c>{"eof":1}</c> is discarded, nothing ends the
    /// stream, and the session is loud (drain timeout), never a silent cut.</summary>
    [Fact]
    public async Task Voxist_eof_alone_against_the_newer_engine_is_loud()
    {
        var run = await ProfileTests.RunAsync("Voxist", "librivox-1.wav", "done-ack", 0, options: Option("end_signal", "eof"), drain: TimeSpan.FromSeconds(1));
        await using var _ = run.Server;
        Assert.False(run.Summary!.IsWhole);
        Assert.Equal(SessionEnding.DrainTimedOut, run.Summary.Ending);
    }

    [Theory]
    [InlineData("Done!", true)]
    [InlineData("Done", true)]
    [InlineData("  Done! ", true)]
    [InlineData("done!", false)]
    [InlineData("{\"type\":\"final\",\"text\":\"Done\"}", false)]
    public void Voxist_recognises_the_ack_by_its_Done_prefix(string frame, bool ack)
    {
        var parser = new VoxistProtocol().CreateParser(new Engine.Providers.ParserContext { Options = new SessionOptions { Provider = "Voxist" }, Language = "fr" });
        var m = parser.ParseText(frame);
        Assert.Equal(ack, m.Complete);
        if (!ack && frame.StartsWith('{')) Assert.Single(m.Results); // a final whose text is "Done" is a result, not the ack
    }

    /// <summary>Smallest's unified route: <c>model=pulse</c> sent, <c>close_stream</c> at the end, keywords as one
    /// comma-separated string, the <c>type:"transcription"</c> frames read, whole.</summary>
    [Fact]
    public async Task Smallest_unified_route_sends_model_close_stream_and_comma_keywords_and_is_whole()
    {
        var o = new EmulatorOptions { Script = TranscriptScript.Load(Path.ChangeExtension(Fixtures.Audio("librivox-1.wav"), ".json")) };
        EmulatorProfiles.Apply(o, "Smallest", "unified");
        await using var server = EmulatorServer.Start("Smallest", o);
        var live = new Uri($"ws://127.0.0.1:{server.Port}/waves/v1/stt/live");
        var (results, summary) = await Harness.RunAsync(Harness.Options(server, endpoint: live, vocabulary: new[] { "Dashwood:5", "John Dashwood", " " }), "librivox-1.wav");
        Assert.True(summary.IsWhole, summary.Describe());
        Assert.Equal(Fixtures.ReferenceText("librivox-1.wav"), Harness.Joined(results));
        var conn = Assert.Single(server.Connections);
        Assert.Equal("pulse", conn.Query["model"]);
        Assert.Equal("Dashwood:5,John Dashwood", conn.Query["keywords"]);
        Assert.Equal("{\"type\":\"close_stream\"}", conn.TextFrames.Single());
        Assert.Contains(conn.Sent, s => s.Contains("\"full_transcript\"") && s.Contains("\"type\":\"transcription\""));
        Assert.Empty(server.Violations);
    }

    /// <summary>The <c>Live</c> environment names the unified route; a model the route refuses (pulse-pro is batch only:
    /// HTTP 400 before the upgrade) is a bad request from the user's input, exit 2, never retried.</summary>
    [Fact]
    public async Task Smallest_live_environment_and_a_refused_model()
    {
        Assert.Equal("wss://api.smallest.ai/waves/v1/stt/live", new SmallestProtocol().Descriptor.GetEndpoint("live").Url.ToString());
        await using var server = Harness.Server("Smallest", "librivox-2.wav");
        var live = new Uri($"ws://127.0.0.1:{server.Port}/waves/v1/stt/live");
        var e = await Assert.ThrowsAsync<AsrException>(() => Harness.RunAsync(Harness.Options(server, endpoint: live, model: "pulse-pro"), "librivox-2.wav"));
        Assert.Equal(400, e.HttpStatus);
        Assert.Equal(2, Verdicts.ExitCode(Verdicts.Of(e)));
        Assert.Single(server.Requests, r => r.Contains("-> 400"));
    }

    [Theory]
    [InlineData("https://waves-api.smallest.ai/api/v1/lightning/get_text", "[\"a:2\",\"b c\"]")]
    [InlineData("https://waves-api.smallest.ai/api/v1/pulse/get_text", "[\"a:2\",\"b c\"]")]
    [InlineData("https://api.smallest.ai/waves/v1/pulse/get_text", "a:2,b c")]
    [InlineData("https://api.smallest.ai/waves/v1/stt/live", "a:2,b c")]
    public void Smallest_keywords_take_each_routes_own_shape(string url, string expected)
    {
        Assert.Equal(expected, SmallestProtocol.KeywordsFor(new Uri(url), new[] { "a:2", "b c" }));
        Assert.Null(SmallestProtocol.KeywordsFor(new Uri(url), new[] { "", " " }));
    }

    /// <summary>Each error shape Smallest's clients read: the provider's reason and code in the error, refused (exit 4),
    /// one connection only (no reconnect replaying audio into a refusal), what arrived before it kept.</summary>
    [Theory]
    [InlineData("error-frame")]
    [InlineData("error-typed")]
    [InlineData("error-status")]
    public async Task Smallest_error_frames_of_every_shape_are_a_refusal_with_the_reason_and_code(string profile)
    {
        var run = await ProfileTests.RunAsync("Smallest", "librivox-1.wav", profile, 1);
        await using var _ = run.Server;
        var e = Assert.IsType<AsrException>(run.Error);
        Assert.Equal(("SmallestError", "LANGUAGE_NOT_ENABLED_IN_REGION"), (e.ErrorId, e.ProviderCode));
        Assert.Contains("has not been enabled in this region", e.Message);
        Assert.Contains("LANGUAGE_NOT_ENABLED_IN_REGION", e.Message);
        Assert.Equal(4, Verdicts.ExitCode(run.Verdict));
        Assert.Single(run.Server.Connections);
    }

    [Theory]
    [InlineData("Voxist")]
    [InlineData("VoxNexus")]
    public async Task Other_providers_error_frames_are_a_refusal_on_one_connection(string provider)
    {
        var run = await ProfileTests.RunAsync(provider, "librivox-1.wav", "error-frame", 1);
        await using var _ = run.Server;
        var e = Assert.IsType<AsrException>(run.Error);
        Assert.Contains("has not been enabled in this region", e.Message);
        Assert.Equal(4, Verdicts.ExitCode(run.Verdict));
        Assert.Single(run.Server.Connections);
    }

    /// <summary>The error frame through the command line: the reason and code on stderr, exit 4.</summary>
    [Fact]
    public async Task Smallest_error_frame_on_the_command_line_shows_the_reason_and_exits_4()
    {
        var (code, _, err) = await CliTests.Run("transcribe", Fixtures.Audio("librivox-1.wav"), "--emulate", "--provider", "smallest",
            "--emulator-profile", "error-frame", "--speed", "max", "--quiet");
        Assert.True(code == 4, $"exit {code}: {err}");
        Assert.Contains("LANGUAGE_NOT_ENABLED_IN_REGION", err);
        Assert.Contains("has not been enabled in this region", err);
    }

    /// <summary>The engine's one table for error frames: credentials are authentication, a passing condition is
    /// transient, anything else the provider's refusal.</summary>
    [Theory]
    [InlineData("INVALID_API_KEY", "bad key", AsrErrorKind.Authentication, false)]
    [InlineData("401", "Unauthorized", AsrErrorKind.Authentication, false)]
    [InlineData(null, "Invalid or expired API key", AsrErrorKind.Authentication, false)]
    [InlineData("server_overloaded", "at capacity", AsrErrorKind.Connection, true)]
    [InlineData("1011", "engine", AsrErrorKind.Connection, true)]
    [InlineData("UNSUPPORTED_FORMAT", "Invalid audio format", AsrErrorKind.Provider, false)]
    [InlineData("LANGUAGE_NOT_ENABLED_IN_REGION", "Language 'x' has not been enabled", AsrErrorKind.Provider, false)]
    public void Error_frames_are_read_through_one_table(string? code, string message, AsrErrorKind kind, bool transient)
    {
        var e = CloseCodes.ErrorFrame("P", "PError", code, message);
        Assert.Equal((kind, transient), (e.Kind, e.IsTransient));
        Assert.Contains(message, e.Message);
        Assert.Equal(code, e.ProviderCode);
    }

    /// <summary>A <c>-Model</c> meant for another provider of the same run does not reach Smallest off the unified route.</summary>
    [Fact]
    public async Task Smallest_sends_a_model_only_on_the_unified_route()
    {
        await using var server = Harness.Server("Smallest", "librivox-2.wav");
        await Harness.RunAsync(Harness.Options(server, model: "deepgram.nova-2"), "librivox-2.wav");
        Assert.False(server.Connections.Single().Query.ContainsKey("model"));
    }

    /// <summary>An <c>is_last</c> frame that repeats the previous final's transcript is not a second copy of it.</summary>
    [Fact]
    public async Task Smallest_a_repeated_is_last_transcript_is_not_written_twice()
    {
        var run = await ProfileTests.RunAsync("Smallest", "librivox-1.wav", "repeat-last", 0);
        await using var _ = run.Server;
        AssertWhole(run);
        Assert.Contains(run.Server.Connections.Single().Sent, s => s.Contains("\"is_last\":true") && s.Contains("might be prudently"));
    }

    /// <summary>Speechall behind a recogniser at real time, upload at max speed: the tail after the last word is silence,
    /// so the session ends one quiet window (3 s) after the last result, not after the drain timeout (here 60 s).</summary>
    [Fact]
    public async Task Speechall_real_time_recogniser_ends_one_quiet_window_after_the_last_result()
    {
        var run = await ProfileTests.RunAsync("Speechall", "librivox-1.wav", "realtime", 0, drain: TimeSpan.FromSeconds(60));
        await using var _ = run.Server;
        AssertWhole(run);
        Assert.Equal(SessionEnding.Completed, run.Summary!.Ending);
        // On the server's clock: from its last result to our close frame (the bound README.md's exit table promises: within 5 s).
        var conn = Assert.Single(run.Server.Connections);
        Assert.InRange(conn.ClientClosedAt!.Value - conn.LastSentAt!.Value, 2.9, 5.0);
    }

    /// <summary>A close 1000 after 5 s of audio at max speed with results still owed, the next connection fine: the
    /// session reconnects, replays what no final covered, and the transcript is whole; the warning says it was a
    /// close, not a completion.</summary>
    [Theory]
    [MemberData(nameof(EveryProvider))]
    public async Task A_close_1000_that_leaves_results_owed_is_recovered_on_every_provider(string provider)
    {
        var run = await ProfileTests.RunAsync(provider, "librivox-1.wav", "close-1000", 0, configure: o => o.Faults.CloseAfterAudioSeconds = 5);
        await using var _ = run.Server;
        AssertWhole(run);
        Assert.Equal(2, run.Server.Connections.Count);
        Assert.True(run.Summary!.AudioReplayedSeconds > 0);
        // Said as a close (after the end of stream, or before it where the upload had not finished), never a completion.
        Assert.Contains(run.Warnings, w => w.Contains("closed the connection") && (w.Contains("without its completion signal") || w.Contains("before the end of stream")));
        Assert.DoesNotContain(run.Warnings, w => w.Contains("completed"));
    }

    /// <summary>The recovery itself, on every provider: the first connection closes 1000 as the end of stream arrives,
    /// without the last results or the completion signal; the next one behaves. Whole, the warning names the close.</summary>
    [Theory]
    [MemberData(nameof(EveryProvider))]
    public async Task A_close_at_the_end_of_stream_without_completion_is_recovered_once(string provider)
    {
        var run = await ProfileTests.RunAsync(provider, "librivox-1.wav", "close-without-completion", 0, configure: o => o.Faults.CloseWithoutCompletionTimes = 1);
        await using var _ = run.Server;
        AssertWhole(run);
        Assert.Equal(2, run.Server.Connections.Count);
        Assert.Contains(run.Warnings, w => w.Contains("closed the connection after the end of stream without its completion signal") && w.Contains("reconnecting to resend it"));
    }

    /// <summary>A server that closes every connection without completion: one recovery per stretch of audio, then the
    /// loud verdict naming the close.</summary>
    [Fact]
    public async Task Recovery_is_bounded_to_once_per_stretch_of_audio()
    {
        var run = await ProfileTests.RunAsync("Smallest", "librivox-1.wav", "close-without-completion", 0);
        await using var _ = run.Server;
        Assert.False(run.Summary!.IsWhole);
        Assert.Equal(SessionEnding.ClosedWithoutCompletion, run.Summary.Ending);
        Assert.Equal(2, run.Server.Connections.Count);
        Assert.Contains("without its completion signal", run.Summary.EndingReason);
    }
}
