using SpeechStream.Emulator;
using SpeechStream.Engine.Jobs;
using SpeechStream.Engine.Sessions;

namespace SpeechStream.Tests;

/// <summary>The profiles that concern one provider's own ambiguities (each provider's README lists them).</summary>
public class ProviderProfileTests
{
    private static Dictionary<string, string> Option(string key, string value) => new() { [key] = value };

    /// <summary>Two utterances with the same text, and results without a segment field (the Voxist LiveKit plugin's mock):
    /// each final is its own segment, so the second is not dropped as a repeat.</summary>
    [Fact]
    public async Task Voxist_finals_without_segment_numbers_are_each_their_own_segment_even_with_the_same_text()
    {
        var words = new[] { new ScriptWord("bonjour", 0.5, 0.9), new ScriptWord("monde", 0.95, 1.4), new ScriptWord("bonjour", 3.0, 3.4), new ScriptWord("monde", 3.45, 3.9) };
        await using var server = EmulatorServer.Start("Voxist", new EmulatorOptions { Script = TranscriptScript.FromWords(words), VoxistOmitSegment = true, RepeatFinals = false });
        var (results, summary) = await Harness.RunAsync(Harness.Options(server, language: "en"), "librivox-1.wav");
        Assert.True(summary.IsWhole, summary.Describe());
        var finals = results.Where(r => r.IsFinal).ToList();
        Assert.Equal(new[] { "bonjour monde", "bonjour monde" }, finals.Select(f => f.Text));
        Assert.NotEqual(finals[0].Segment, finals[1].Segment);
        // The script covers the first 3.9 s of a 7.1 s clip: the close leaves sound uncovered, so it is heard once more (a
        // second connection) before the close counts as completion.
        Assert.All(server.Connections, c => Assert.DoesNotContain(c.Sent, f => f.Contains("\"segment\":")));
    }

    /// <summary>With segment numbers, a repeated final of the same segment is one row (an upsert).</summary>
    [Fact]
    public async Task Voxist_a_repeated_final_of_a_numbered_segment_is_one_row()
    {
        await using var server = Harness.Server("Voxist", "librivox-1.wav", o => o.RepeatFinals = true);
        var (results, summary) = await Harness.RunAsync(Harness.Options(server, language: "en"), "librivox-1.wav");
        Assert.Equal(2, results.Count(r => r.IsFinal));
        Assert.True(summary.IsWhole);
    }

    [Theory]
    [InlineData("both", null, true)]
    [InlineData("both", "eof-only", true)]
    [InlineData("both", "done-only", true)]
    [InlineData("both", "reject-second-end", true)]
    [InlineData("eof", "eof-only", true)]
    [InlineData("done", "done-only", true)]
    [InlineData("eof", "done-only", false)]
    [InlineData("done", "eof-only", false)]
    [InlineData("eof", "reject-second-end", false)]
    public async Task Voxist_end_signals_complete_where_the_server_understands_them_and_are_loud_where_it_does_not(string endSignal, string? profile, bool whole)
    {
        var run = await ProfileTests.RunAsync("Voxist", "librivox-1.wav", profile, 0, options: Option("end_signal", endSignal), drain: TimeSpan.FromSeconds(2));
        await using var _ = run.Server;
        Assert.Null(run.Error);
        Assert.Equal(whole, run.Summary!.IsWhole);
        var sent = run.Server.Connections.Single().TextFrames.ToArray();
        Assert.Equal(endSignal switch { "eof" => new[] { "{\"eof\":1}" }, "done" => new[] { "Done" }, _ => new[] { "{\"eof\":1}", "Done" } },
            sent.Take(endSignal == "both" ? 2 : 1));
        if (!whole) Assert.Equal(SessionEnding.DrainTimedOut, run.Summary.Ending);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("end-of-process-only")]
    [InlineData("confirm-only")]
    [InlineData("markers-reversed")]
    public async Task IApp_completes_on_either_marker_in_either_order_and_never_shows_one_as_text(string? profile)
    {
        var run = await ProfileTests.RunAsync("IApp", "librivox-3.wav", profile, 0);
        await using var _ = run.Server;
        Assert.True(run.Summary!.IsWhole, run.Summary.Describe());
        Assert.Equal(ProfileTests.ReferenceWords("librivox-3.wav"), run.ConfirmedWords);
        Assert.DoesNotContain(run.Results, r => r.Text.Contains("end_of_process", StringComparison.OrdinalIgnoreCase) || r.Text.Contains("Confirm Close"));
        // The default is what the sample client (src/SpeechStream.Engine/Providers/Voxist/README.md, Sources) waits for: Confirm Close Connection.
        if (profile is null) Assert.Contains(run.Server.Connections.Single().Sent, f => f.Contains("Confirm Close Connection"));
    }

    [Theory]
    [InlineData(null, "cumulative", true)]
    [InlineData("incremental-text", "incremental", true)]
    [InlineData("incremental-text", "cumulative", false)]
    [InlineData(null, "incremental", false)]
    public async Task IApp_text_is_read_as_the_option_says_and_a_server_that_contradicts_it_is_loud(string? profile, string mode, bool whole)
    {
        var run = await ProfileTests.RunAsync("IApp", "librivox-1.wav", profile, 0, options: Option("text_mode", mode));
        await using var _ = run.Server;
        Assert.Equal(whole, run.Summary!.IsWhole);
        if (whole) Assert.Equal(ProfileTests.ReferenceWords("librivox-1.wav"), run.ConfirmedWords);
        else
        {
            Assert.Contains(run.Summary.Doubts, d => d.Contains("text_mode"));
            Assert.Contains(run.Warnings, w => w.Contains("text_mode"));
            Assert.Equal(Verdict.Incomplete, run.Verdict);
        }
    }

    /// <summary>Each endpoint's own end message ends the stream on a server that treats the others as a flush; a wrong
    /// one (forced with end_message) is a loud drain timeout, not a silent cut.</summary>
    [Theory]
    [InlineData("/api/v1/lightning/get_text", "end")]
    [InlineData("/waves/v1/lightning/get_text", "close_stream")]
    [InlineData("/waves/v1/pulse/get_text", "close_stream")]
    [InlineData("/waves/v1/stt/live", "close_stream")]
    public async Task Smallest_sends_each_endpoints_own_end_message(string path, string expected)
    {
        var run = await ProfileTests.RunAsync("Smallest", "librivox-1.wav", "strict-end-message", 0, path: path);
        await using (run.Server)
        {
            Assert.True(run.Summary!.IsWhole, run.Summary.Describe());
            Assert.Equal($"{{\"type\":\"{expected}\"}}", run.Server.Connections.Single().TextFrames.Single());
        }
        var wrong = expected == "end" ? "finalize" : "end";
        var bad = await ProfileTests.RunAsync("Smallest", "librivox-1.wav", "strict-end-message", 0, options: Option("end_message", wrong), path: path, drain: TimeSpan.FromSeconds(1));
        await using (bad.Server)
        {
            Assert.False(bad.Summary!.IsWhole);
            Assert.Equal(SessionEnding.DrainTimedOut, bad.Summary.Ending);
            Assert.Equal(ProfileTests.ReferenceWords("librivox-1.wav"), bad.ConfirmedWords); // the flush still delivered them
        }
    }
}
