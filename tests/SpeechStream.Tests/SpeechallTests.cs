using SpeechStream.Emulator;
using SpeechStream.Engine;
using SpeechStream.Engine.Providers;
using SpeechStream.Engine.Providers.Speechall;
using SpeechStream.Engine.Sessions;

namespace SpeechStream.Tests;

/// <summary>Speechall streaming (src/SpeechStream.Engine/Providers/Speechall/README.md) against the emulator: no end-of-stream message, quiet completion.</summary>
public class SpeechallTests
{
    private static readonly Dictionary<string, string> Quick = new() { ["quiet_seconds"] = "0.5" };

    [Fact]
    public async Task Bearer_auth_model_in_the_query_256_ms_frames_no_text_frames_and_completion_after_3_s_of_quiet()
    {
        await using var server = Harness.Server("Speechall", "librivox-3.wav");
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var (results, summary) = await Harness.RunAsync(Harness.Options(server, model: "deepgram.nova-2"), "librivox-3.wav", partials: true);
        var conn = Assert.Single(server.Connections);
        Assert.Equal("Bearer " + Harness.Key, conn.Headers["Authorization"]);
        Assert.False(conn.Query.ContainsKey("api_key"));
        Assert.Equal(("deepgram.nova-2", "en", "json"), (conn.Query["model"], conn.Query["language"], conn.Query["output_format"]));
        Assert.All(conn.AudioFrames.SkipLast(1), n => Assert.Equal(8192, n));
        Assert.Empty(conn.TextFrames); // we invent no control frames (ambiguity 1)
        Assert.Equal(Fixtures.ReferenceText("librivox-3.wav"), Harness.Joined(results));
        Assert.All(results, r => Assert.True(r.IsFinal));
        Assert.Equal((0.25, 0.58), (results[0].Words[0].Start!.Value, results[0].Words[0].End!.Value));
        Assert.True(summary.Completed);
        Assert.False(summary.DrainTimedOut);
        Assert.True(sw.Elapsed >= TimeSpan.FromSeconds(3), $"completed after {sw.Elapsed}, before 3 s of quiet");
        Assert.Equal("client-close", conn.Ending);
        Assert.Empty(server.Violations);
    }

    [Theory]
    [InlineData("text", "word")]
    [InlineData("json", "word")]
    [InlineData("json", "text")]
    public async Task Frames_are_parsed_by_content_and_word_objects_by_either_key(string format, string wordKey)
    {
        await using var server = Harness.Server("Speechall", "librivox-2.wav", o => o.SpeechallWordKey = wordKey);
        var opts = new Dictionary<string, string>(Quick) { ["output_format"] = format };
        var (results, _) = await Harness.RunAsync(Harness.Options(server, model: "deepgram.nova-2", options: opts), "librivox-2.wav");
        Assert.Equal(Fixtures.ReferenceText("librivox-2.wav"), Harness.Joined(results));
        if (format == "json") Assert.Equal(Fixtures.ReferenceText("librivox-2.wav"), string.Join(" ", results.SelectMany(r => r.Words).Select(w => w.Text)));
        else Assert.All(results, r => Assert.Empty(r.Words));
    }

    [Fact]
    public async Task Key_auth_vocabulary_diarization_and_options_go_in_the_query()
    {
        await using var server = Harness.Server("Speechall", "librivox-2.wav");
        var opts = new Dictionary<string, string>(Quick) { ["temperature"] = "0.2", ["initial_prompt"] = "Jane Austen", ["speakers_expected"] = "2", ["punctuation"] = "false" };
        await Harness.RunAsync(Harness.Options(server, auth: "key", model: "assemblyai.universal", language: "auto", diarize: true,
            vocabulary: new[] { "Dashwood", "Norland Park" }, options: opts), "librivox-2.wav");
        var conn = server.Connections.Single();
        Assert.Equal(Harness.Key, conn.Query["api_key"]);
        Assert.False(conn.Headers.ContainsKey("Authorization"));
        Assert.Equal(new[] { "Dashwood", "Norland Park" }, conn.QueryValues("custom_vocabulary"));
        Assert.Equal(("true", "0.2", "Jane Austen", "2", "false", "auto"),
            (conn.Query["diarization"], conn.Query["temperature"], conn.Query["initial_prompt"], conn.Query["speakers_expected"], conn.Query["punctuation"], conn.Query["language"]));
        await Harness.RunAsync(Harness.Options(server, model: "deepgram.nova-2", vocabulary: new[] { "a", "b" },
            options: new Dictionary<string, string>(Quick) { ["vocabulary_encoding"] = "comma" }), "librivox-2.wav");
        Assert.Equal(new[] { "a,b" }, server.Connections.Last().QueryValues("custom_vocabulary"));
    }

    [Fact]
    public async Task A_missing_model_is_a_clear_error_before_connecting()
    {
        await using var server = Harness.Server("Speechall", "librivox-2.wav");
        var e = await Assert.ThrowsAsync<AsrException>(() => Harness.RunAsync(Harness.Options(server), "librivox-2.wav"));
        Assert.Equal(("ModelRequired", AsrErrorKind.InvalidInput), (e.ErrorId, e.Kind));
        Assert.Contains("deepgram.nova-2", e.Message);
        Assert.Empty(server.Connections);
    }

    [Fact]
    public async Task A_bad_key_names_the_variable_and_hides_the_key()
    {
        await using var server = Harness.Server("Speechall", "librivox-2.wav", o => o.ApiKey = "right");
        var e = await Assert.ThrowsAsync<AsrException>(() => Harness.RunAsync(Harness.Options(server, key: "wrong-speechall-key-1", model: "deepgram.nova-2"), "librivox-2.wav"));
        Assert.Equal((AsrErrorKind.Authentication, 401), (e.Kind, e.HttpStatus));
        Assert.Contains("SPEECHALL_API_KEY", e.Message);
        Assert.DoesNotContain("wrong-speechall-key-1", e.Message);
    }

    [Theory]
    [InlineData("3", 3)]
    [InlineData("40", 15)]
    [InlineData("0", 0.2)]
    public void The_quiet_window_is_configurable_and_capped(string value, double seconds) =>
        Assert.Equal(seconds, new SpeechallProtocol().QuietWindow(new SessionOptions
        { Provider = "Speechall", ProviderOptions = new Dictionary<string, string> { ["quiet_seconds"] = value } }).TotalSeconds, 3);

    [Fact]
    public void Every_frame_is_a_new_final_and_rest_errors_are_errors()
    {
        var p = new SpeechallProtocol().CreateParser(new ParserContext { Options = new SessionOptions { Provider = "Speechall" }, Language = "en" });
        var a = Assert.Single(p.ParseText("Hello, this is a test").Results);
        var b = Assert.Single(p.ParseText("""{"id":"x","text":"transcription.","language":"en","segments":[{"start":1.5,"end":2.3,"text":"transcription.","speaker":"A","confidence":0.9}]}""").Results);
        Assert.True(a.IsFinal && b.IsFinal);
        Assert.True(a.SegmentKey is null && b.SegmentKey is null, "Speechall numbers no segment: each final is its own");
        Assert.Equal((1.5, 2.3, "A", 0.9), (b.Start!.Value, b.End!.Value, b.Speaker, b.Confidence!.Value));
        Assert.Equal("payment_required", p.ParseText("""{"message":"No credit left","code":"payment_required"}""").Error!.ProviderCode);
        Assert.Same(ParsedMessage.Ignored, p.ParseText("{broken"));
    }
}
