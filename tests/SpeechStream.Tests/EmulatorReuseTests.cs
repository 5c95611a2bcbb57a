using SpeechStream.Emulator;

namespace SpeechStream.Tests;

/// <summary>One emulator process serving run after run, as `speechstream emulate` does for a shell or a CI job.</summary>
public class EmulatorReuseTests
{
    /// <summary>A clip twice over (its opening heard again in the middle, as in a clip repeated into a long file),
    /// with the sidecar's words for both copies.</summary>
    private static (string Wav, TranscriptScript Script, string Text) Doubled(string dir)
    {
        short[] clip = Fixtures.ReadS16(Fixtures.Audio("librivox-2.wav"));
        var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Fixtures.Audio("librivox-2.json"))).RootElement;
        double duration = clip.Length / 16000.0;
        var words = new List<ScriptWord>();
        foreach (double offset in new[] { 0, duration })
            foreach (var w in doc.GetProperty("words").EnumerateArray())
                words.Add(new ScriptWord(w.GetProperty("word").GetString()!, w.GetProperty("start").GetDouble() + offset,
                    w.GetProperty("end").GetDouble() + offset));
        string wav = Path.Combine(dir, "twice.wav");
        var pcm = new byte[clip.Length * 2 * 2];
        for (int copy = 0; copy < 2; copy++) System.Runtime.InteropServices.MemoryMarshal.AsBytes(clip.AsSpan()).CopyTo(pcm.AsSpan(copy * clip.Length * 2));
        File.WriteAllBytes(wav, Engine.Audio.WavFileWriter.ToWavBytes(pcm, 16000));
        return (wav, TranscriptScript.FromWords(words), string.Join(" ", words.Select(w => w.Text)));
    }

    [Fact]
    public async Task A_second_run_of_the_same_file_after_a_whole_first_run_is_a_new_stream_not_a_replay()
    {
        string dir = Directory.CreateTempSubdirectory("speechstream-reuse-").FullName;
        try
        {
            var (wav, script, text) = Doubled(dir);
            await using var server = EmulatorServer.Start("Voxist", new EmulatorOptions { Script = script });
            for (int run = 1; run <= 2; run++)
            {
                var (results, summary) = await Harness.RunAsync(Harness.Options(server), wav, speed: 0);
                Assert.True(summary.IsWhole, $"run {run}: {summary}");
                Assert.Equal(text, Harness.Joined(results));
            }
            Assert.Equal(2, server.Connections.Count);
        }
        finally { Directory.Delete(dir, true); }
    }
}
