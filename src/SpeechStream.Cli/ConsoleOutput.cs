using System.Runtime.InteropServices;
using System.Text;

namespace SpeechStream.Cli;

/// <summary>
/// Standard output and standard error as the CLI shares them: rows go to stdout whole (each flushed as one write),
/// the progress line lives on stderr and is wiped before any row or message is written and drawn again after, so the
/// two never share a line on a terminal. A closed stdout (<c>| head -1</c>) is noticed at the next write, or within
/// a quarter of a second while nothing is written (Linux and macOS poll the descriptor), and reported once through
/// <see cref="StdoutClosed"/>. Any other failed write to stdout (ENOSPC on a full disk or <c>&gt; /dev/full</c>, EIO)
/// is not a closed reader: it is reported once through <see cref="StdoutFailed"/> with the system's message. Either
/// way later rows are dropped. A failed write to stderr (a closed terminal) is ignored: it must not end a run.
/// </summary>
internal sealed class ConsoleOutput : IDisposable
{
    private readonly object _gate = new();
    private readonly TextWriter _out;
    private readonly TextWriter _err;
    private readonly bool _progressEnabled;
    private readonly int _width;
    private string _progress = "";
    private int _closed;
    private readonly Timer? _poll;

    /// <param name="stdout">Where rows go.</param>
    /// <param name="stderr">Where messages and the progress line go.</param>
    /// <param name="progress">Draw the progress line (stderr is a terminal).</param>
    /// <param name="watchFd">Poll this file descriptor for a closed reader (1 for the real stdout), or -1.</param>
    public ConsoleOutput(TextWriter stdout, TextWriter stderr, bool progress = false, int watchFd = -1, int width = 80)
    {
        _out = stdout;
        _err = stderr;
        _progressEnabled = progress;
        _width = Math.Max(20, width);
        Rows = new RowWriter(this);
        Messages = new MessageWriter(this);
        if (watchFd >= 0 && (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()))
            _poll = new Timer(_ => { if (PeerClosed(watchFd)) OnClosed(); }, null, 250, 250);
    }

    /// <summary>Raised once, from any thread, when stdout's reader has gone.</summary>
    public event Action? StdoutClosed;

    /// <summary>Raised once, from the writing thread, when a write to stdout failed for another reason than a closed
    /// reader; the system's message, e.g. "No space left on device".</summary>
    public event Action<string>? StdoutFailed;

    /// <summary>Why writing stdout failed (<see cref="StdoutFailed"/>), or null.</summary>
    public string? StdoutError { get; private set; }

    /// <summary>True once stdout's reader has gone or a write to it failed: rows are no longer written.</summary>
    public bool IsStdoutClosed => Volatile.Read(ref _closed) == 1;

    /// <summary>Rows: buffered until Flush, then written whole between progress redraws.</summary>
    public TextWriter Rows { get; }

    /// <summary>Messages for stderr: each line written whole between progress redraws.</summary>
    public TextWriter Messages { get; }

    /// <summary>Shows <paramref name="line"/> as the progress line (cut to the terminal's width); "" removes it.</summary>
    public void Progress(string line)
    {
        if (!_progressEnabled) return;
        if (line.Length >= _width) line = line[..(_width - 2)] + "…";
        lock (_gate)
        {
            WriteErr("\r\u001b[2K" + line);
            _progress = line;
        }
    }

    private void Emit(TextWriter target, string text)
    {
        IOException? failure = null;
        lock (_gate)
        {
            bool redraw = _progress.Length > 0;
            if (redraw) WriteErr("\r\u001b[2K");
            if (target == _out)
            {
                if (!IsStdoutClosed)
                {
                    try { _out.Write(text); _out.Flush(); }
                    catch (IOException e) { failure = e; }
                }
            }
            else WriteErr(text);
            if (redraw) WriteErr(_progress);
        }
        // Raised outside the lock: the handlers cancel the run, whose callbacks may write messages from other threads.
        if (failure is null) return;
        if (IsBrokenPipe(failure)) OnClosed();
        else OnFailed(SystemMessage(failure));
    }

    /// <summary>Writes stderr; a failure (a terminal gone after SIGHUP) is ignored, as there is nowhere to report it.</summary>
    private void WriteErr(string text)
    {
        try { _err.Write(text); _err.Flush(); }
        catch (IOException) { }
    }

    private void OnClosed()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0) StdoutClosed?.Invoke();
    }

    private void OnFailed(string why)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        StdoutError = why;
        StdoutFailed?.Invoke(why);
    }

    /// <summary>EPIPE (errno 32 on Linux and macOS), or Windows' ERROR_BROKEN_PIPE / ERROR_NO_DATA: the reader has gone.
    /// (The console's own stream swallows EPIPE; a stream over a pipe reports it.)</summary>
    private static bool IsBrokenPipe(IOException e) =>
        OperatingSystem.IsWindows() ? e.HResult is unchecked((int)0x8007006D) or unchecked((int)0x800700E8) : e.HResult == 32;

    /// <summary>The system's message for a failed write: .NET's I/O exceptions on Unix carry the errno as HResult
    /// (strerror gives e.g. "No space left on device"); else the exception's own message.</summary>
    private static string SystemMessage(IOException e) =>
        !OperatingSystem.IsWindows() && e.HResult is > 0 and < 4096 ? Marshal.GetPInvokeErrorMessage(e.HResult) : e.Message;

    public void Dispose()
    {
        _poll?.Dispose();
        Progress("");
        lock (_gate) _progress = "";
    }

    /// <summary>The process's stdout as a buffered writer flushed per row. Console's stream ignores EPIPE, so a closed
    /// reader is noticed by polling the descriptor (<see cref="ConsoleOutput"/>'s <c>watchFd</c>).</summary>
    public static TextWriter OpenStdout() =>
        new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 64 * 1024) { AutoFlush = false, NewLine = "\n" };

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd { public int Fd; public short Events; public short Revents; }

    [DllImport("libc", SetLastError = true)]
    private static extern int poll([In, Out] PollFd[] fds, nuint count, int timeout);

    private const short PollErr = 0x008, PollHup = 0x010;

    /// <summary>True when the descriptor is a pipe or socket whose reader has closed (POLLERR/POLLHUP on a writer).</summary>
    private static bool PeerClosed(int fd)
    {
        var p = new[] { new PollFd { Fd = fd, Events = 0 } };
        return poll(p, 1, 0) > 0 && (p[0].Revents & (PollErr | PollHup)) != 0;
    }

    private sealed class RowWriter(ConsoleOutput owner) : TextWriter
    {
        private readonly StringBuilder _buffer = new();
        public override Encoding Encoding => Encoding.UTF8;
        public override void Write(char value) { lock (_buffer) _buffer.Append(value); }
        public override void Write(string? value) { lock (_buffer) _buffer.Append(value); }
        public override void WriteLine(string? value) { lock (_buffer) _buffer.Append(value).Append('\n'); }
        public override void WriteLine() { lock (_buffer) _buffer.Append('\n'); }

        public override void Flush()
        {
            string text;
            lock (_buffer)
            {
                if (_buffer.Length == 0) return;
                text = _buffer.ToString();
                _buffer.Clear();
            }
            owner.Emit(owner._out, text);
        }
    }

    private sealed class MessageWriter(ConsoleOutput owner) : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;
        public override void Write(char value) => owner.Emit(owner._err, value.ToString());
        public override void Write(string? value) { if (!string.IsNullOrEmpty(value)) owner.Emit(owner._err, value); }
        public override void WriteLine(string? value) => owner.Emit(owner._err, value + "\n");
        public override void WriteLine() => owner.Emit(owner._err, "\n");
    }
}
