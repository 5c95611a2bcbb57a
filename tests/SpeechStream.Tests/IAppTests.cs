using SpeechStream.Emulator;
using SpeechStream.Engine;
using SpeechStream.Engine.Providers;
using SpeechStream.Engine.Providers.IApp;
using SpeechStream.Engine.Sessions;

namespace SpeechStream.Tests;

/// <summary>iApp asrx (src/SpeechStream.Engine/Providers/IApp/README.md) against the emulator, and its sentence-replacing parser.</summary>
public class IAppTests
{
    [Fact]
    public async Task Apikey_header_binary_pcm_then_CloseConnection_and_finals_that_spell_the_clip()
    {
        await using var server = Harness.Server("IApp", "librivox-3.wav");
        var (results, summary) = await Harness.RunAsync(Harness.Options(server), "librivox-3.wav", partials: true);
        var conn = Assert.Single(server.Connections);
        Assert.Equal(Harness.Key, conn.Headers["apikey"]);
        Assert.Empty(conn.Query);
        Assert.All(conn.AudioFrames.SkipLast(1), n => Assert.Equal(3200, n));
        Assert.Equal("{\"data\":{\"status\":\"CloseConnection\"}}", Assert.Single(conn.TextFrames));
        Assert.Equal(Fixtures.ReferenceText("librivox-3.wav"), Harness.Joined(results));
        Assert.Contains(results, r => !r.IsFinal);
        Assert.All(results, r => Assert.Equal((false, null), (r.TimesEstimated, r.Start))); // unpaced: no honest estimate
        Assert.True(summary.Completed);
        Assert.Equal("client-close", conn.Ending); // "client will be the one to close the connection"
        Assert.Empty(server.Violations);
    }

    [Theory]
    [InlineData(IAppCompletionMarker.EndOfProcess)]
    [InlineData(IAppCompletionMarker.ConfirmCloseConnection)]
    public async Task Either_completion_marker_completes_and_is_never_a_transcript(IAppCompletionMarker marker)
    {
        await using var server = Harness.Server("IApp", "librivox-2.wav", o => o.IAppCompletion = marker);
        var (results, summary) = await Harness.RunAsync(Harness.Options(server), "librivox-2.wav", partials: true);
        Assert.True(summary.Completed);
        Assert.False(summary.DrainTimedOut);
        Assert.DoesNotContain(results, r => r.Text.Contains("end_of_process") || r.Text.Contains("Confirm Close"));
        Assert.Equal(Fixtures.ReferenceText("librivox-2.wav"), Harness.Joined(results));
        Assert.Contains(server.Connections.Single().Sent, s => s.Contains(marker == IAppCompletionMarker.EndOfProcess ? "end_of_process" : "Confirm Close Connection"));
    }

    [Fact]
    public async Task The_prose_end_of_stream_status_is_an_option()
    {
        await using var server = Harness.Server("IApp", "librivox-2.wav");
        var (_, summary) = await Harness.RunAsync(Harness.Options(server, options: new Dictionary<string, string> { ["end_status"] = "end of stream" }), "librivox-2.wav");
        Assert.True(summary.Completed);
        Assert.Equal("{\"data\":{\"status\":\"end of stream\"}}", Assert.Single(server.Connections.Single().TextFrames));
    }

    /// <summary>The replayable exchange of the iApp README: each message replaces the sentence; NewSentence commits;
    /// the sentences carry no segment number and no times (the session estimates those).</summary>
    [Fact]
    public void Messages_replace_the_sentence_and_NewSentence_commits_the_previous_one()
    {
        var parser = new IAppProtocol().CreateParser(new ParserContext { Options = new SessionOptions { Provider = "IApp" }, Language = "th" });
        var finals = new List<ProviderResult>();
        var partials = new List<ProviderResult>();
        void Feed(string frame)
        {
            var m = parser.ParseText(frame);
            finals.AddRange(m.Results.Where(r => r.IsFinal));
            partials.AddRange(m.Results.Where(r => !r.IsFinal));
        }
        Feed("""{"type":"realtime","state":"Sentence","text":"สวัสดี"}""");
        Feed("""{"type":"realtime","state":"Sentence","text":"สวัสดีครับ "}""");
        Feed("""{"type":"realtime","state":"New sentence","text":"ผมเสียง"}""");
        Feed("""{"type":"realtime","state":"Sentence","text":"ผมเสียงผู้ใหญ่ ผู้ชายครับ"}""");
        var done = parser.ParseText("""{"type":"realtime","text":" END_OF_PROCESS "}""");
        Assert.True(done.Complete);
        finals.AddRange(done.Results);
        Assert.Equal(new[] { "สวัสดีครับ ", "ผมเสียงผู้ใหญ่ ผู้ชายครับ" }, finals.Select(f => f.Text));
        Assert.All(finals.Concat(partials), r => Assert.Null(r.SegmentKey));
        Assert.All(finals.Concat(partials), r => Assert.True(r.Start is null && r.End is null));
        Assert.Equal(4, partials.Count);
        Assert.Empty(parser.Finish()); // the marker committed the last sentence
    }

    [Fact]
    public void Incremental_text_adds_to_the_sentence_and_text_after_the_marker_is_committed_at_the_end()
    {
        var options = new SessionOptions { Provider = "IApp", ProviderOptions = new Dictionary<string, string> { ["text_mode"] = "incremental" } };
        var parser = new IAppProtocol().CreateParser(new ParserContext { Options = options, Language = "th" });
        parser.ParseText("""{"type":"realtime","state":"Sentence","text":"สวัสดีครับ"}""");
        var next = parser.ParseText("""{"type":"realtime","state":"Sentence","text":"ผมเสียง"}""");
        Assert.Equal("สวัสดีครับ ผมเสียง", Assert.Single(next.Results).Text);
        var done = parser.ParseText("""{"type":"realtime","text":"Confirm Close Connection"}""");
        Assert.Equal("สวัสดีครับ ผมเสียง", Assert.Single(done.Results).Text);
        parser.ParseText("""{"type":"realtime","state":"NewSentence","text":"late"}""");
        Assert.Equal("late", Assert.Single(parser.Finish()).Text);
    }

    [Theory]
    [InlineData("NewSentence", true)]
    [InlineData("New sentence", true)]
    [InlineData("newsentence", true)]
    [InlineData("Sentence", false)]
    [InlineData(null, false)]
    public void NewSentence_is_recognised_in_any_spacing_or_case(string? state, bool expected) =>
        Assert.Equal(expected, IAppProtocol.IsNewSentence(state));

    [Fact]
    public async Task A_bad_key_is_an_auth_error_without_the_key_and_a_non_Thai_language_is_refused()
    {
        await using var server = Harness.Server("IApp", "librivox-2.wav", o => o.ApiKey = "right-key");
        var e = await Assert.ThrowsAsync<AsrException>(() => Harness.RunAsync(Harness.Options(server, key: "wrong-iapp-key-777"), "librivox-2.wav"));
        Assert.Equal(AsrErrorKind.Authentication, e.Kind);
        Assert.Contains("IAPP_API_KEY", e.Message);
        Assert.DoesNotContain("wrong-iapp-key-777", e.Message);
        var lang = await Assert.ThrowsAsync<AsrException>(() => Harness.RunAsync(Harness.Options(server, key: "right-key", language: "en"), "librivox-2.wav"));
        Assert.Equal("LanguageUnsupported", lang.ErrorId);
    }
}
