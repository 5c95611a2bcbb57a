using SpeechStream.Emulator;
using SpeechStream.Engine;
using SpeechStream.Engine.Providers;
using SpeechStream.Engine.Providers.Smallest;
using SpeechStream.Engine.Sessions;

namespace SpeechStream.Tests;

/// <summary>Smallest.ai Lightning (src/SpeechStream.Engine/Providers/Smallest/README.md) against the emulator.</summary>
public class SmallestTests
{
    [Fact]
    public async Task Bearer_auth_explicit_query_4096_byte_frames_end_message_and_words_in_seconds()
    {
        await using var server = Harness.Server("Smallest", "librivox-3.wav");
        var (results, summary) = await Harness.RunAsync(Harness.Options(server), "librivox-3.wav", partials: true);
        var conn = Assert.Single(server.Connections);
        Assert.Equal("Bearer " + Harness.Key, conn.Headers["Authorization"]);
        Assert.False(conn.Query.ContainsKey("token"));
        Assert.Equal(("en", "linear16", "16000", "true"), (conn.Query["language"], conn.Query["encoding"], conn.Query["sample_rate"], conn.Query["word_timestamps"]));
        Assert.All(conn.AudioFrames.SkipLast(1), n => Assert.Equal(4096, n));
        Assert.Equal("{\"type\":\"end\"}", Assert.Single(conn.TextFrames));
        Assert.Equal(Fixtures.ReferenceText("librivox-3.wav"), Harness.Joined(results));
        Assert.Contains(results, r => !r.IsFinal);
        var first = results.First(r => r.IsFinal);
        Assert.Equal(0.25, first.Start!.Value, 3);
        Assert.Equal("unless", first.Words[0].Text);
        Assert.Equal((0.25, 0.58), (first.Words[0].Start!.Value, first.Words[0].End!.Value));
        Assert.Equal(first.Words[^1].End, first.End);
        Assert.True(summary.Completed);
        Assert.Empty(server.Violations);
    }

    [Theory]
    [InlineData("words")]
    [InlineData("word_timestamps")]
    public async Task Words_are_read_from_either_array_name(string field)
    {
        await using var server = Harness.Server("Smallest", "librivox-2.wav", o => o.SmallestWordsField = field);
        var (results, _) = await Harness.RunAsync(Harness.Options(server), "librivox-2.wav");
        Assert.Contains(server.Connections.Single().Sent, s => s.Contains($"\"{field}\":"));
        var words = results.Where(r => r.IsFinal).SelectMany(r => r.Words).Select(w => w.Text);
        Assert.Equal(Fixtures.ReferenceText("librivox-2.wav"), string.Join(" ", words));
    }

    /// <summary>Query auth: <c>token=</c> as the documentation names it, <c>api_key=</c> as Smallest's AI SDK provider
    /// sends it (README, "Auth"); one of them, and no header.</summary>
    [Theory]
    [InlineData("token", "token", "api_key")]
    [InlineData("key", "api_key", "token")]
    public async Task Query_auth_goes_in_the_query_and_no_header_is_sent(string auth, string parameter, string other)
    {
        await using var server = Harness.Server("Smallest", "librivox-2.wav");
        await Harness.RunAsync(Harness.Options(server, auth: auth), "librivox-2.wav");
        var conn = server.Connections.Single();
        Assert.Equal(Harness.Key, conn.Query[parameter]);
        Assert.False(conn.Query.ContainsKey(other));
        Assert.False(conn.Headers.ContainsKey("Authorization"));
    }

    [Theory]
    [InlineData("wss://waves-api.smallest.ai/api/v1/lightning/get_text", "end")]
    [InlineData("wss://api.smallest.ai/waves/v1/lightning/get_text", "close_stream")]
    [InlineData("wss://api.smallest.ai/waves/v1/pulse/get_text", "close_stream")]
    [InlineData("wss://waves-api.smallest.ai/api/v1/pulse/get_text", "end")]
    [InlineData("wss://api.smallest.ai/waves/v1/stt/live?model=pulse", "close_stream")]
    [InlineData("ws://127.0.0.1:9/api/v1/lightning/get_text", "end")]
    public void The_end_message_comes_from_the_endpoint_profile(string url, string expected) =>
        Assert.Equal(expected, SmallestProtocol.EndMessageFor(new Uri(url)));

    [Fact]
    public async Task A_Pulse_endpoint_gets_close_stream_and_the_option_overrides_the_profile()
    {
        await using var server = Harness.Server("Smallest", "librivox-2.wav");
        var pulse = new Uri($"ws://127.0.0.1:{server.Port}/waves/v1/pulse/get_text");
        var (results, _) = await Harness.RunAsync(Harness.Options(server, endpoint: pulse), "librivox-2.wav");
        Assert.Equal(Fixtures.ReferenceText("librivox-2.wav"), Harness.Joined(results));
        await Harness.RunAsync(Harness.Options(server, endpoint: pulse, options: new Dictionary<string, string> { ["end_message"] = "finalize" }), "librivox-2.wav");
        Assert.Equal(new[] { "{\"type\":\"close_stream\"}", "{\"type\":\"finalize\"}" }, server.Connections.Select(c => c.TextFrames.Single()));
    }

    [Fact]
    public async Task Typed_parameters_and_documented_options_go_in_the_query()
    {
        await using var server = Harness.Server("Smallest", "librivox-2.wav");
        await Harness.RunAsync(Harness.Options(server, language: "multi", wordTimestamps: false, diarize: true, vocabulary: new[] { "Dashwood:5", "Norland" },
            options: new Dictionary<string, string> { ["full_transcript"] = "true", ["numerals"] = "auto", ["eou_timeout_ms"] = "600", ["redact_pii"] = "false", ["format"] = "true" }),
            "librivox-2.wav");
        var q = server.Connections.Single().Query;
        Assert.Equal("multi", q["language"]);
        Assert.Equal("false", q["word_timestamps"]);
        Assert.Equal("true", q["diarize"]);
        Assert.Equal("[\"Dashwood:5\",\"Norland\"]", q["keywords"]);
        Assert.Equal(("true", "auto", "600", "false", "true"), (q["full_transcript"], q["numerals"], q["eou_timeout_ms"], q["redact_pii"], q["format"]));
    }

    [Fact]
    public async Task An_unknown_option_lists_the_valid_keys()
    {
        await using var server = Harness.Server("Smallest", "librivox-2.wav");
        var e = await Assert.ThrowsAsync<AsrException>(() => Harness.RunAsync(Harness.Options(server, options: new Dictionary<string, string> { ["diarise"] = "true" }), "librivox-2.wav"));
        Assert.Equal("ProviderOptionUnknown", e.ErrorId);
        Assert.Contains("eou_timeout_ms", e.Message);
        Assert.Contains("full_transcript", e.Message);
        Assert.Empty(server.Connections);
    }

    [Fact]
    public async Task An_error_frame_fails_the_session_with_its_code_and_keeps_what_arrived()
    {
        await using var server = Harness.Server("Smallest", "librivox-3.wav", o =>
        {
            o.Faults.ErrorAfterAudioSeconds = 4.8;
            o.Faults.ErrorCode = "invalid_audio";
            o.Faults.ErrorMessage = "Invalid audio";
        });
        var got = new List<Engine.Transcripts.Transcript>();
        var e = await Assert.ThrowsAsync<AsrException>(() => Engine.Jobs.FileTranscriber.RunAsync(new Engine.Jobs.TranscriptionRequest
        {
            Path = Fixtures.Audio("librivox-3.wav"), Speed = 0, Session = Harness.Options(server),
        }, got.Add));
        Assert.Equal(("SmallestError", "invalid_audio"), (e.ErrorId, e.ProviderCode));
        Assert.Contains("Invalid audio", e.Message);
        Assert.Equal("unless to be rather cold hearted and rather selfish is to be", Assert.Single(got, t => !t.Unconfirmed).Text);
        // The open segment's last partial is written too, marked Unconfirmed, and the summary says what is missing.
        var unconfirmed = Assert.Single(got, t => t.Unconfirmed);
        Assert.True(unconfirmed.IsFinal);
        Assert.Equal(SessionEnding.Failed, e.Summary!.Ending);
        Assert.NotEmpty(e.Summary.Uncovered);
    }

    [Fact]
    public void The_parser_reads_unified_errors_vad_events_and_speakers()
    {
        var p = new SmallestProtocol().CreateParser(new ParserContext { Options = new SessionOptions { Provider = "Smallest" }, Language = "en" });
        Assert.Same(ParsedMessage.Ignored, p.ParseText("""{"type":"speech_started","session_id":"s","timestamp":1.2}"""));
        var err = p.ParseText("""{"type":"error","status":"error","message":"bad model"}""");
        Assert.Contains("bad model", err.Error!.Message);
        var m = p.ParseText("""{"session_id":"s","transcript":"hi there","is_final":true,"is_last":true,"words":[{"word":"hi","start":0.1,"end":0.3,"speaker":1},{"word":"there","start":0.3,"end":0.6,"speaker":"1"}]}""");
        Assert.True(m.Complete);
        var r = Assert.Single(m.Results);
        Assert.Equal(("1", 0.1, 0.6), (r.Speaker, r.Start!.Value, r.End!.Value));
    }
}
