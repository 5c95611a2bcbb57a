using System.Diagnostics;
using System.Text;

namespace SpeechStream.Engine.Audio;

/// <summary>
/// A helper process whose standard output is audio (ffmpeg decoding a file, a microphone capture tool). Its
/// standard error is kept (the last 4 KB) for error messages. Disposing kills the whole process tree, so no
/// capture or decoder process outlives the session that started it.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private readonly Task _stderrPump;
    private int _disposed;

    private ChildProcess(Process process, Func<string, string?>? errorLine)
    {
        _process = process;
        _stderrPump = Task.Run(async () =>
        {
            var buf = new char[1024];
            var line = new StringBuilder();
            int n;
            try
            {
                while ((n = await process.StandardError.ReadAsync(buf).ConfigureAwait(false)) > 0)
                {
                    if (errorLine is null) { Keep(buf.AsSpan(0, n)); continue; }
                    for (int i = 0; i < n; i++)
                    {
                        char c = buf[i];
                        if (c is '\n' or '\r') { TakeLine(line, errorLine); continue; }
                        if (line.Length == MaxLine) TakeLine(line, errorLine);
                        line.Append(c);
                    }
                }
                if (errorLine is not null) TakeLine(line, errorLine);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException) { }
        });
    }

    /// <summary>Longest standard error line passed whole to a line filter (characters); a longer one is cut there.</summary>
    private const int MaxLine = 4096;

    private void TakeLine(StringBuilder line, Func<string, string?> errorLine)
    {
        if (line.Length == 0) return;
        string? kept = errorLine(line.ToString());
        line.Clear();
        if (kept is not null) Keep((kept + "\n").AsSpan());
    }

    private void Keep(ReadOnlySpan<char> text)
    {
        lock (_stderr)
        {
            _stderr.Append(text);
            if (_stderr.Length > 4096) _stderr.Remove(0, _stderr.Length - 4096);
        }
    }

    /// <summary>Starts <paramref name="fileName"/> with <paramref name="arguments"/> (no shell).</summary>
    /// <param name="redirectInput">Give the process a writable standard input (<see cref="Input"/>).</param>
    /// <param name="workingDirectory">The folder it runs in; null: this process's.</param>
    /// <param name="errorLine">Sees each line of standard error (at most 4096 characters) as it comes, and returns what of
    /// it to keep for <see cref="ErrorTail"/> (null: nothing); null keeps everything as it is.</param>
    /// <exception cref="System.ComponentModel.Win32Exception">The program cannot be started (not found, not executable).</exception>
    public static ChildProcess Start(string fileName, IEnumerable<string> arguments, bool redirectInput = false, string? workingDirectory = null,
        Func<string, string?>? errorLine = null)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory ?? "",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        var p = Process.Start(psi) ?? throw new InvalidOperationException($"{fileName} did not start.");
        return new ChildProcess(p, errorLine);
    }

    /// <summary>The process's standard output, as bytes.</summary>
    public Stream Output => _process.StandardOutput.BaseStream;

    /// <summary>The process's standard input (only when started with redirectInput).</summary>
    public Stream Input => _process.StandardInput.BaseStream;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Exit code, once exited.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>The last 4 KB the process wrote to standard error, trimmed.</summary>
    public string ErrorTail { get { lock (_stderr) return _stderr.ToString().Trim(); } }

    /// <summary>Waits for the process to exit (and its standard error to be read).</summary>
    public async Task WaitForExitAsync(CancellationToken cancellationToken = default)
    {
        await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        await _stderrPump.WaitAsync(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Kills the process and everything it started, and waits (2 s at most) for it. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception) { }
        finally
        {
            _process.Dispose();
        }
    }

    /// <summary>True when <paramref name="program"/> is found on PATH (or is an existing path).</summary>
    public static bool IsOnPath(string program) => FindOnPath(program) is not null;

    /// <summary>The full path of <paramref name="program"/> on PATH, or null.</summary>
    public static string? FindOnPath(string program)
    {
        if (program.Contains(Path.DirectorySeparatorChar) || program.Contains('/')) return File.Exists(program) ? program : null;
        var exts = OperatingSystem.IsWindows() ? new[] { ".exe", ".cmd", ".bat", "" } : new[] { "" };
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            foreach (var ext in exts)
            {
                var candidate = Path.Combine(dir, program + ext);
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }
}
