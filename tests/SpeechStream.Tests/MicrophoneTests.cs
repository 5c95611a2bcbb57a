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

    private static async Task<(List<Transcript>, SessionSummary?, List<int>, Exception?)> Listen(TimeSpan? duration, CancellationToken cancel)
    {
        await using var server = Harness.Server("Voxist", "librivox-1.wav");
        var results = new ConcurrentQueue<Transcript>();
        var tree = new List<int>();
        int pid = 0;
        using var watch = new CancellationTokenSource();
        // Record the capture tree while it runs (the shell, cat, sleep).
        var watcher = Task.Run(async () =>
        {
            while (!watch.IsCancellationRequested)
            {
                if (pid != 0) lock (tree) foreach (var p in Tree(pid)) if (!tree.Contains(p)) tree.Add(p);
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
            }, results.Enqueue, null, CancellationToken.None, cancel);
        }
        catch (Exception e) { error = e; }
        watch.Cancel();
        await watcher;
        Assert.NotEqual(0, pid);
        lock (tree) return (results.ToList(), summary, tree.ToList(), error);
    }

    [Fact]
    public async Task Duration_ends_the_capture_sends_the_end_of_stream_and_leaves_no_process_behind()
    {
        if (!OperatingSystem.IsLinux()) return;
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var (results, summary, tree, error) = await Listen(TimeSpan.FromSeconds(3), CancellationToken.None);
        Assert.Null(error);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10), $"took {sw.Elapsed}");
        Assert.Equal(Fixtures.ReferenceText("librivox-1.wav"), Harness.Joined(results));
        Assert.True(summary!.Completed);
        Assert.True(tree.Count >= 2, "the generator's children were seen");
        Assert.All(tree, pid => Assert.False(Alive(pid), $"process {pid} outlived the capture"));
    }

    [Fact]
    public async Task Cancellation_stops_within_a_second_and_kills_the_capture_tree()
    {
        if (!OperatingSystem.IsLinux()) return;
        using var cts = new CancellationTokenSource();
        var run = Listen(null, cts.Token);
        await Task.Delay(1500);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        cts.Cancel();
        var (_, _, tree, error) = await run;
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(1.5), $"took {sw.Elapsed}");
        Assert.IsAssignableFrom<OperationCanceledException>(error);
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
