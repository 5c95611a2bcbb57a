using SpeechStream.Emulator;
using SpeechStream.Engine.Sessions;

namespace SpeechStream.Tests;

/// <summary>
/// Server frames from public repositories we did not write (tests/fixtures/recorded, each naming its source), replayed
/// verbatim to the engine by <see cref="RecordedSessionServer"/>: the transcript reads as expected, each final once,
/// with a whole verdict; where the server holds the socket open, our close frame follows its last frame within 2 s.
/// </summary>
public class RecordedSessionTests
{
    [Theory]
    [InlineData("smallest-coval-v1.json")]
    [InlineData("smallest-coval-v2.json")]
    [InlineData("voxist-ack-after-final.json")]
    [InlineData("voxist-ack-before-final.json")]
    [InlineData("voxist-readme-final.json")]
    [InlineData("voxist-done-ish-mid-session.json")]
    public async Task A_recorded_session_reads_as_its_source_says(string file)
    {
        var recorded = RecordedSession.Load(file);
        var replay = new RecordedSessionServer(recorded);
        await using var server = EmulatorServer.StartWith(replay);
        // Voxist with its api_key in the query (no token exchange); a short clip at real time, so frames sent at the
        // upgrade arrive before our end of stream.
        var options = Harness.Options(server, auth: recorded.Provider == "Voxist" ? "key" : null, language: recorded.Provider == "Voxist" ? "fr" : "en",
            endpoint: new Uri($"ws://127.0.0.1:{server.Port}/recorded"), drain: TimeSpan.FromSeconds(10)) with { Provider = recorded.Provider };
        var (results, summary) = await Harness.RunAsync(options, "synth-fr.wav", speed: 1);
        Assert.True(summary.IsWhole, $"{recorded.Source}: {summary.Describe()}");
        Assert.Equal(SessionEnding.Completed, summary.Ending);
        Assert.Equal(recorded.Expect, results.Where(r => r.IsFinal).OrderBy(r => r.Segment).Select(r => r.Text));
        Assert.Equal(1, replay.Connections);
        if (recorded.Close is null) // the socket held open: we close it, soon after the last frame (grace 0.5 s)
        {
            Assert.Equal(1000, replay.ClientCloseCode);
            Assert.InRange(replay.ClientClosedAt!.Value - replay.LastFrameSentAt!.Value, 0, 3.0);
        }
    }
}
