using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using SpeechStream.Engine;
using SpeechStream.Engine.Audio;
using SpeechStream.Engine.Jobs;
using SpeechStream.Engine.Sessions;
using SpeechStream.Engine.Transcripts;

namespace SpeechStream.Tests;

/// <summary>The microphone path, with a generator command standing in for the microphone: it writes clip 1 as
/// raw PCM s16le 16 kHz mono, then pauses as long as the clip lasts, forever (about real time on average).</summary>
public class MicrophoneTests
{
    private static string Generator => $"while :; do cat '{Fixtures.Audio("variant-16k-s16le.raw")}'; sleep 7; done";

    /// <summary>The process and all its descendants (Linux /proc).</summary>
    private static List<int> Tree(int pid)
    {
        var all = new List<int> { pid };
        for (int i = 0; i < all.Count; i++)
        {
            var children = $"/proc/{all[i]}/task/{all[i]}/children";
            if (File.Exists(children))
                try { all.AddRange(File.ReadAllText(children).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse)); }
                catch (IOException) { }
        }
        return all;
    }

    private static bool Alive(int pid)
    {
        try { return File.Exists($"/proc/{pid}/stat") && File.ReadAllText($"/proc/{pid}/stat").Split(' ')[2] != "Z"; }
        catch (IOException) { return false; }
    }

    /// <summary>Listens to the generator through the Voxist emulator and records the capture's process tree while it
    /// runs (the shell, cat, sleep). With <paramref name="cancel"/>, cancels it once the capture has started and the
    /// server has received audio from it (the state under test), and says whether that state was reached.</summary>
    private static async Task<(List<Transcript> Results, SessionSummary? Summary, List<int> Tree, Exception? Error, bool Streamed)> Listen(
        TimeSpan? duration, CancellationTokenSource? cancel)
    {
        await using var server = Harness.Server("Voxist", "librivox-1.wav");
        var results = new ConcurrentQueue<Transcript>();
        var tree = new List<int>();
        int pid = 0;
        bool streamed = false;
        using var watch = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            while (!watch.IsCancellationRequested)
            {
                if (pid != 0) lock (tree) foreach (var p in Tree(pid)) if (!tree.Contains(p)) tree.Add(p);
                if (cancel is not null && !streamed && pid != 0 && server.Connections.Any(c => c.AudioFrames.Count >= 2))
                {
                    streamed = true;
                    cancel.Cancel();
                }
                await Task.Delay(50);
            }
        });
        SessionSummary? summary = null;
        Exception? error = null;
        try
        {
            summary = await MicrophoneTranscriber.RunAsync(new MicrophoneRequest
            {
                Session = Harness.Options(server, language: "en"),
                Capture = MicrophoneCapture.FromCommandLine(Generator),
                Duration = duration,
                OnCaptureStarted = id => pid = id,
            }, results.Enqueue, null, CancellationToken.None, cancel?.Token ?? CancellationToken.None);
        }
        catch (Exception e) { error = e; }
        watch.Cancel();
        await watcher;
        Assert.NotEqual(0, pid);
        lock (tree) return (results.ToList(), summary, tree.ToList(), error, streamed);
    }

    /// <summary>The generator never ends on its own: only the duration can end the run, and the whole clip, which it
    /// writes first, is transcribed.</summary>
    [LinuxFact]
    public async Task Duration_ends_the_capture_sends_the_end_of_stream_and_leaves_no_process_behind()
    {
        var (results, summary, tree, error, _) = await Listen(TimeSpan.FromSeconds(3), null);
        Assert.Null(error);
        Assert.Equal(Fixtures.ReferenceText("librivox-1.wav"), Harness.Joined(results));
        Assert.True(summary!.Completed);
        Assert.True(tree.Count >= 2, "the generator's children were seen");
        Assert.All(tree, pid => Assert.False(Alive(pid), $"process {pid} outlived the capture"));
    }

    /// <summary>Cancelled once audio from the capture has reached the server: the run ends cancelled (not by the
    /// generator, which never ends) and no process of the capture tree is left.</summary>
    [LinuxFact]
    public async Task Cancellation_while_streaming_ends_the_run_and_kills_the_capture_tree()
    {
        using var cts = new CancellationTokenSource();
        var (_, summary, tree, error, streamed) = await Listen(null, cts);
        Assert.True(streamed, "the capture started and the server received its audio before the cancellation");
        Assert.Null(summary);
        Assert.IsAssignableFrom<OperationCanceledException>(error);
        Assert.NotEmpty(tree);
        Assert.All(tree, pid => Assert.False(Alive(pid), $"process {pid} outlived the capture"));
    }

    [Fact]
    public async Task A_failing_capture_command_says_why()
    {
        await using var server = Harness.Server("Voxist", "librivox-1.wav");
        var e = await Assert.ThrowsAsync<AsrException>(() => MicrophoneTranscriber.RunAsync(new MicrophoneRequest
        {
            Session = Harness.Options(server, language: "en"),
            Capture = MicrophoneCapture.FromCommandLine("echo 'no such device: hw:9' >&2; exit 3"),
        }, _ => { }));
        Assert.Equal("CaptureFailed", e.ErrorId);
        Assert.Contains("no such device: hw:9", e.Message);
        Assert.Contains("exit code 3", e.Message);
    }

    [Fact]
    public void The_capture_tool_is_chosen_per_platform_from_what_is_installed()
    {
        var linux = MicrophoneCapture.Choose(null, p => p is "sox" or "ffmpeg", OSPlatform.Linux);
        Assert.Equal("sox", linux.Tool);
        Assert.Contains("-d", linux.Arguments);
        Assert.Equal("arecord", MicrophoneCapture.Choose("hw:1", _ => true, OSPlatform.Linux).Tool);
        Assert.Contains("hw:1", MicrophoneCapture.Choose("hw:1", _ => true, OSPlatform.Linux).Arguments);
        var pulse = MicrophoneCapture.Choose(null, p => p == "ffmpeg", OSPlatform.Linux);
        Assert.Equal(new[] { "-f", "pulse", "-i", "default" }, pulse.Arguments.SkipWhile(a => a != "-f").Take(4));
        Assert.Contains(":0", MicrophoneCapture.Choose(null, p => p == "ffmpeg", OSPlatform.OSX).Arguments);
        Assert.Contains("audio=Mic (USB)", MicrophoneCapture.Choose("Mic (USB)", p => p == "ffmpeg", OSPlatform.Windows).Arguments);
        Assert.Equal("CaptureDeviceRequired", Assert.Throws<AsrException>(() => MicrophoneCapture.Choose(null, p => p == "ffmpeg", OSPlatform.Windows)).ErrorId);
        // Every choice writes PCM s16le 16 kHz mono.
        Assert.Contains("16000", linux.Arguments);
        Assert.Equal(MicrophoneCapture.DefaultFormat, linux.Format);
    }

    [Theory]
    [InlineData("LINUX", "apt-get install alsa-utils")]
    [InlineData("OSX", "brew install sox")]
    [InlineData("WINDOWS", "winget install")]
    public void A_missing_capture_tool_says_what_to_install_on_this_os(string os, string hint)
    {
        var e = Assert.Throws<AsrException>(() => MicrophoneCapture.Choose(null, _ => false, OSPlatform.Create(os)));
        Assert.Equal("CaptureToolMissing", e.ErrorId);
        Assert.Contains(hint, e.Message);
        Assert.Contains("-CaptureCommand", e.Message);
    }
}
