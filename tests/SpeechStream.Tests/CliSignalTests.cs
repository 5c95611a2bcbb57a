using System.Diagnostics;
using Xunit.Abstractions;

namespace SpeechStream.Tests;

/// <summary>The CLI in its own process, stopped from outside: SIGTERM as Ctrl+C (exit 143, rows kept, the capture
/// process ended), a closed stdout (exit 141, the upload stopped), Ctrl+C while it waits on a standard input or a FIFO
/// that never writes (exit 130). Each waits for an event (a row, a file) before it acts; the times are printed.</summary>
public class CliSignalTests(ITestOutputHelper output)
{
    private static Process Start(bool redirectStdin, params string[] args)
    {
        return Process.Start(CliRunner.StartInfo(args, redirectStdin))!;
    }

    private static void Signal(Process p, string signal) => Process.Start("kill", new[] { "-" + signal, p.Id.ToString() })!.WaitForExit();

    private async Task<(int Code, double Seconds, string Err)> StopAndWait(Process p, string signal, Task<string> stderr)
    {
        var sw = Stopwatch.StartNew();
        Signal(p, signal);
        Assert.True(p.WaitForExit(TimeSpan.FromSeconds(20)), $"the CLI ended after SIG{signal}");
        sw.Stop();
        output.WriteLine($"SIG{signal}: exit {p.ExitCode} after {sw.Elapsed.TotalMilliseconds:0} ms");
        return (p.ExitCode, sw.Elapsed.TotalSeconds, await stderr);
    }

    [Fact]
    public async Task Sigterm_closes_the_session_keeps_the_rows_and_exits_143()
    {
        using var p = Start(false, "transcribe", Fixtures.Audio("call-mono-16k.wav"), "--emulate", "-f", "csv", "--speed", "1");
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.StartsWith("\"Provider\"", await p.StandardOutput.ReadLineAsync());
        string? row = await p.StandardOutput.ReadLineAsync(); // a final arrived: the session is streaming
        Assert.NotNull(row);
        var rest = p.StandardOutput.ReadToEndAsync();
        var (code, _, err) = await StopAndWait(p, "TERM", stderr);
        Assert.Equal(143, code);
        Assert.Contains("terminated (SIGTERM)", err);
        Assert.DoesNotContain("Unhandled", err);
        await rest;
    }

    [Fact]
    public async Task Sigterm_ends_the_capture_process_of_listen()
    {
        int marker = Random.Shared.Next(100000, 999999);
        using var p = Start(false, "listen", "--emulate", "--capture-command", $"sleep {marker}", "-v");
        var stderr = new System.Text.StringBuilder();
        var reading = Task.Run(async () => { string? l; while ((l = await p.StandardError.ReadLineAsync()) is not null) lock (stderr) stderr.AppendLine(l); });
        while (!Pgrep($"^sleep {marker}$")) { Assert.False(p.HasExited, stderr.ToString()); await Task.Delay(50); }
        Signal(p, "TERM");
        Assert.True(p.WaitForExit(TimeSpan.FromSeconds(20)));
        await reading;
        Assert.Equal(143, p.ExitCode);
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (Pgrep($"^sleep {marker}$") && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.False(Pgrep($"^sleep {marker}$"), "the capture process was ended");
    }

    private static bool Pgrep(string pattern)
    {
        var pg = Process.Start(new ProcessStartInfo("pgrep", new[] { "-f", pattern }) { RedirectStandardOutput = true, UseShellExecute = false })!;
        pg.WaitForExit();
        return pg.ExitCode == 0;
    }

    [Fact]
    public async Task A_closed_stdout_stops_the_upload_and_exits_141()
    {
        // 27.7 s of audio at real time: without the check the job would run to its end.
        using var p = Start(false, "transcribe", Fixtures.Audio("call-mono-16k.wav"), "--emulate", "--speed", "1");
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.NotNull(await p.StandardOutput.ReadLineAsync()); // `| head -1`
        var sw = Stopwatch.StartNew();
        p.StandardOutput.Close();
        Assert.True(p.WaitForExit(TimeSpan.FromSeconds(20)), "the CLI ended");
        output.WriteLine($"stdout closed: exit {p.ExitCode} after {sw.Elapsed.TotalMilliseconds:0} ms");
        Assert.Equal(141, p.ExitCode);
        Assert.Contains("standard output was closed", await stderr);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(15), "stopped well before the 27.7 s of audio were sent");
    }

    [Fact]
    public async Task Ctrl_C_while_waiting_on_a_silent_standard_input_exits_130()
    {
        using var p = Start(true, "transcribe", "-", "--raw", "s16le:16000:1", "--emulate", "-v");
        var stderr = new System.Text.StringBuilder();
        var connected = new TaskCompletionSource();
        var reading = Task.Run(async () =>
        {
            string? l;
            while ((l = await p.StandardError.ReadLineAsync()) is not null)
            {
                lock (stderr) stderr.AppendLine(l);
                if (l.Contains("Reading -") || l.Contains("standard input")) connected.TrySetResult();
            }
            connected.TrySetResult();
        });
        await connected.Task; // it is reading standard input, which never writes
        await Task.Delay(200);
        var sw = Stopwatch.StartNew();
        Signal(p, "INT");
        Assert.True(p.WaitForExit(TimeSpan.FromSeconds(20)), "the CLI ended");
        output.WriteLine($"SIGINT on a silent stdin: exit {p.ExitCode} after {sw.Elapsed.TotalMilliseconds:0} ms");
        await reading;
        Assert.True(p.ExitCode == 130, stderr.ToString());
    }

    [Fact]
    public async Task Ctrl_C_while_waiting_on_a_fifo_without_a_writer_exits_130()
    {
        string fifo = Path.Combine(Directory.CreateTempSubdirectory("fifo-").FullName, "audio.fifo");
        Process.Start("mkfifo", new[] { fifo })!.WaitForExit();
        Assert.True(File.Exists(fifo));
        using var p = Start(false, "transcribe", fifo, "--raw", "s16le:16000:1", "--emulate");
        var stderr = p.StandardError.ReadToEndAsync();
        await Task.Delay(1000); // nothing to wait for: it blocks in open(2) until a writer comes, and none will
        Assert.False(p.HasExited);
        var (code, _, err) = await StopAndWait(p, "INT", stderr);
        Assert.True(code == 130, err);
    }
}
