using System.Diagnostics;
using Xunit.Abstractions;

namespace SpeechStream.Tests;

/// <summary>The CLI in its own process, stopped from outside: SIGTERM as Ctrl+C (exit 143, rows kept, the capture
/// process ended), a closed stdout (exit 141, the upload stopped), Ctrl+C while it waits on a standard input or a FIFO
/// that never writes (exit 130), SIGHUP as SIGTERM (exit 129), and each while the API key is still being read. Each
/// waits for an event (a row, a line of stderr, a process) before it acts; the times are printed.</summary>
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

    [Theory]
    [InlineData("TERM", 143, "terminated (SIGTERM)")]
    [InlineData("HUP", 129, "hangup (SIGHUP)")] // a closed terminal, an ssh session gone without nohup
    public async Task A_stop_from_outside_ends_the_capture_process_of_listen(string signal, int expected, string message)
    {
        int marker = Random.Shared.Next(100000, 999999);
        using var cli = ChildCli.Start(false, "listen", "--emulate", "--capture-command", $"sleep {marker}", "-v");
        while (!ChildCli.Pgrep($"^sleep {marker}$")) { Assert.False(cli.Process.HasExited, cli.Err); await Task.Delay(50); }
        var (code, ms) = await cli.StopWith(signal);
        output.WriteLine($"listen, SIG{signal}: exit {code} after {ms:0} ms");
        Assert.True(code == expected, cli.Err);
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (ChildCli.Pgrep($"^sleep {marker}$") && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.False(ChildCli.Pgrep($"^sleep {marker}$"), "the capture process was ended");
        Assert.Contains($"speechstream: {message}; sessions closed, rows received were written.", cli.Err);
    }

    /// <summary>Ctrl+C and SIGTERM while the key is read from a standard input that never ends its line, or
    /// from a FIFO no one writes, were ignored (only SIGKILL ended the CLI). The CLI says, with -v, that it reads
    /// the key: the signal is sent after that line.</summary>
    [Theory]
    [InlineData("INT", 130, "cancelled", false)]
    [InlineData("TERM", 143, "terminated (SIGTERM)", false)]
    [InlineData("INT", 130, "cancelled", true)]
    [InlineData("TERM", 143, "terminated (SIGTERM)", true)]
    public async Task A_stop_while_the_key_is_read_exits_at_once_and_connects_nothing(string signal, int expected, string message, bool fromFifo)
    {
        await using var server = Harness.Server("Voxist", "librivox-2.wav");
        string? fifo = fromFifo ? MakeFifo("key.fifo") : null;
        var args = new List<string> { "transcribe", Fixtures.Audio("librivox-2.wav"), "--endpoint", server.Endpoint.ToString(), "--speed", "max", "-v" };
        args.AddRange(fifo is null ? new[] { "--api-key", "-" } : new[] { "--api-key-file", fifo });
        using var cli = ChildCli.Start(fifo is null, args.ToArray());
        if (fifo is null)
        {
            await cli.Process.StandardInput.WriteAsync("K-partial-key"); // a line begun and never ended; stdin stays open
            await cli.Process.StandardInput.FlushAsync();
        }
        await cli.WaitForLine("Reading the API key from");
        var (code, ms) = await cli.StopWith(signal);
        output.WriteLine($"key from {(fifo is null ? "stdin" : "a FIFO")}, SIG{signal}: exit {code} after {ms:0} ms\n{cli.Err}");
        Assert.True(code == expected, cli.Err);
        Assert.Contains($"speechstream: {message} while waiting for the API key", cli.Err);
        Assert.Contains("nothing was connected", cli.Err);
        Assert.DoesNotContain("K-partial-key", cli.Err);
        Assert.DoesNotContain("Unhandled", cli.Err);
        Assert.Empty(server.Requests);
        Assert.Empty(server.Connections);
    }

    private static string MakeFifo(string name)
    {
        string fifo = Path.Combine(Directory.CreateTempSubdirectory("fifo-").FullName, name);
        Process.Start("mkfifo", new[] { fifo })!.WaitForExit();
        Assert.True(File.Exists(fifo));
        return fifo;
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
        string fifo = MakeFifo("audio.fifo");
        using var p = Start(false, "transcribe", fifo, "--raw", "s16le:16000:1", "--emulate");
        var stderr = p.StandardError.ReadToEndAsync();
        await Task.Delay(1000); // nothing to wait for: it blocks in open(2) until a writer comes, and none will
        Assert.False(p.HasExited);
        var (code, _, err) = await StopAndWait(p, "INT", stderr);
        Assert.True(code == 130, err);
    }
}
