using System.Collections.Concurrent;
using System.Text.Json;
using SpeechStream.Emulator;
using SpeechStream.Engine;
using SpeechStream.Engine.Jobs;
using SpeechStream.Engine.Sessions;
using SpeechStream.Engine.Transcripts;

namespace SpeechStream.Tests;

/// <summary>Issue 5: faults survived without losing audio or results.</summary>
public class ReliabilityTests
{
    private static IReadOnlyList<string> ReferenceWords(string wav)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.ChangeExtension(Fixtures.Audio(wav), ".json")));
        return doc.RootElement.GetProperty("words").EnumerateArray().Select(w => w.GetProperty("word").GetString()!).ToList();
    }

    private static IReadOnlyList<string> FinalWords(IEnumerable<Transcript> results) =>
        results.Where(r => r.IsFinal).OrderBy(r => r.Segment).SelectMany(r => r.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();

    /// <summary>Issue 5's "done when": a connection dropped 10 s into the 28 s call at speed 8 still yields every
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
}
