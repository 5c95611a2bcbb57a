using System.Diagnostics;
using System.Text;

namespace SpeechStream.Engine.Audio;

/// <summary>
/// A helper process whose standard output is audio (ffmpeg decoding a file, a microphone capture tool). Its
/// standard error is kept (the last 4 KB) for error messages. Disposing kills the whole process tree, so no
/// capture or decoder process outlives the session that started it.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private readonly Task _stderrPump;
    private int _disposed;

    private ChildProcess(Process process)
    {
        _process = process;
        _stderrPump = Task.Run(async () =>
        {
            var buf = new char[1024];
            int n;
            try
            {
                while ((n = await process.StandardError.ReadAsync(buf).ConfigureAwait(false)) > 0)
                    lock (_stderr)
                    {
                        _stderr.Append(buf, 0, n);
                        if (_stderr.Length > 4096) _stderr.Remove(0, _stderr.Length - 4096);
                    }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException) { }
        });
    }

    /// <summary>Starts <paramref name="fileName"/> with <paramref name="arguments"/> (no shell).</summary>
    /// <param name="redirectInput">Give the process a writable standard input (<see cref="Input"/>).</param>
    /// <param name="workingDirectory">The folder it runs in; null: this process's.</param>
    /// <exception cref="System.ComponentModel.Win32Exception">The program cannot be started (not found, not executable).</exception>
    public static ChildProcess Start(string fileName, IEnumerable<string> arguments, bool redirectInput = false, string? workingDirectory = null)
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
        return new ChildProcess(p);
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
