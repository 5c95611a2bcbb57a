using System.Diagnostics;
using System.Text;
using SpeechStream.Emulator;

namespace SpeechStream.Tests;

/// <summary>The CLI in a process of its own (<see cref="CliRunner.StartInfo"/>), for the tests that stop it from
/// outside: its standard error read line by line so a test can wait for a line (an event, not a delay), signals
/// sent with kill(1), and the checks that no helper process outlived it.</summary>
internal sealed class ChildCli : IDisposable
{
    private readonly StringBuilder _err = new();
    private readonly List<(string Text, TaskCompletionSource Seen)> _waits = new();

    private ChildCli(Process process)
    {
        Process = process;
        Stderr = Task.Run(ReadStderrAsync);
    }

    public Process Process { get; }

    /// <summary>Ends when the CLI's standard error is closed (it has exited).</summary>
    public Task Stderr { get; }

    /// <summary>Standard error so far.</summary>
    public string Err { get { lock (_err) return _err.ToString(); } }

    public static ChildCli Start(bool redirectStdin, params string[] args) =>
        new(Process.Start(CliRunner.StartInfo(args, redirectStdin))!);

    /// <summary>Starts the CLI with its standard output opened on <paramref name="stdoutPath"/> by a shell (e.g.
    /// /dev/full), as <c>speechstream … &gt; PATH</c> would.</summary>
    public static ChildCli StartWithStdout(string stdoutPath, params string[] args)
    {
        var cli = CliRunner.StartInfo(args);
        var psi = new ProcessStartInfo("sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-c", "exec \"$@\" > \"$STDOUT_PATH\"", "sh", cli.FileName }.Concat(cli.ArgumentList)) psi.ArgumentList.Add(a);
        psi.Environment["STDOUT_PATH"] = stdoutPath;
        return new ChildCli(Process.Start(psi)!);
    }

    private async Task ReadStderrAsync()
    {
        string? line;
        while ((line = await Process.StandardError.ReadLineAsync()) is not null)
            lock (_err)
            {
                _err.AppendLine(line);
                foreach (var w in _waits.Where(w => line.Contains(w.Text))) w.Seen.TrySetResult();
            }
        lock (_err) foreach (var w in _waits) w.Seen.TrySetException(new Xunit.Sdk.XunitException($"stderr ended without '{w.Text}':\n{_err}"));
    }

    /// <summary>Completes when a line of standard error contains <paramref name="text"/>; fails if it ends without one
    /// (or, so that a CLI which never writes it fails the test instead of hanging it, after a minute).</summary>
    public async Task WaitForLine(string text)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_err)
        {
            if (_err.ToString().Contains(text)) return;
            if (Stderr.IsCompleted) throw new Xunit.Sdk.XunitException($"stderr ended without '{text}':\n{_err}");
            _waits.Add((text, seen));
        }
        if (await Task.WhenAny(seen.Task, Task.Delay(TimeSpan.FromMinutes(1))) != seen.Task)
            throw new Xunit.Sdk.XunitException($"no '{text}' on stderr within a minute:\n{Err}");
        await seen.Task;
    }

    /// <summary>Sends SIG<paramref name="signal"/> and waits for the exit; the exit code and milliseconds taken.</summary>
    public async Task<(int Code, double Ms)> StopWith(string signal)
    {
        var sw = Stopwatch.StartNew();
        Signal(Process, signal);
        Assert.True(Process.WaitForExit(TimeSpan.FromSeconds(30)), $"the CLI ended after SIG{signal}:\n{Err}");
        double ms = sw.Elapsed.TotalMilliseconds;
        await Stderr;
        return (Process.ExitCode, ms);
    }

    public static void Signal(Process p, string signal) => Process.Start("kill", new[] { "-" + signal, p.Id.ToString() })!.WaitForExit();

    /// <summary>True while a process whose command line matches <paramref name="pattern"/> (pgrep -f) runs.</summary>
    public static bool Pgrep(string pattern)
    {
        var pg = Process.Start(new ProcessStartInfo("pgrep", new[] { "-f", pattern }) { RedirectStandardOutput = true, UseShellExecute = false })!;
        pg.WaitForExit();
        return pg.ExitCode == 0;
    }

    /// <summary>Waits for the emulator to record how each of its connections ended (it reads the client's close frame,
    /// or sees the connection dropped, on its own thread after the CLI exits); the connections.</summary>
    public static async Task<IReadOnlyList<EmulatedConnection>> Ended(EmulatorServer server)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (server.Connections.Any(c => c.Ending is null) && DateTime.UtcNow < deadline) await Task.Delay(20);
        return server.Connections.ToList();
    }

    public void Dispose()
    {
        if (!Process.HasExited) Process.Kill(entireProcessTree: true);
        Process.Dispose();
    }
}
