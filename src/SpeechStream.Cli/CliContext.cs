using Microsoft.Extensions.Logging;
using SpeechStream.Engine.Diagnostics;

namespace SpeechStream.Cli;

/// <summary>What every command of the CLI shares: the console (rows, messages, progress), standard input, the
/// graceful stop of <c>listen</c>, and the logger factory.</summary>
internal sealed class CliContext
{
    public CliContext(ConsoleOutput console, Stream? stdin)
    {
        Console = console;
        Stdin = stdin;
    }

    public ConsoleOutput Console { get; }

    /// <summary>Rows (stdout); flushed whole.</summary>
    public TextWriter Out => Console.Rows;

    /// <summary>Messages (stderr), never on the progress line.</summary>
    public TextWriter Err => Console.Messages;

    /// <summary>What the file name "-" and "--api-key -" read (null: the console's standard input).</summary>
    public Stream? Stdin { get; }

    private TextReader? _stdinReader;

    /// <summary>Standard input as text, for "--api-key -" (one line is read; the rest stays for the audio "-" would
    /// read, but the two are refused together).</summary>
    public TextReader StdinText => _stdinReader ??= Stdin is null ? System.Console.In : new StreamReader(Stdin, leaveOpen: true);

    /// <summary>The API key (<see cref="KeyReading.ReadKeyAsync"/>): a stop ends the wait while it is read from standard
    /// input or a FIFO. With <paramref name="verbose"/>, says where it is read from before a read that may block.</summary>
    public Task<Secret?> ReadKeyAsync(string? key, string? keyFile, bool verbose, CancellationToken ct) =>
        KeyReading.ReadKeyAsync(key, keyFile, () => StdinText, verbose ? m => Err.WriteLine("info: " + m) : null, ct);

    /// <summary>Cancelled by the first Ctrl+C during <c>listen</c>: stop capturing and finish.</summary>
    public CancellationTokenSource GracefulStop { get; } = new();

    /// <summary>True while <c>listen</c> runs (the first Ctrl+C then stops it gracefully).</summary>
    public volatile bool Listening;

    public ILoggerFactory CreateLoggerFactory(bool verbose) =>
        CallbackLogging.Create((level, _, msg) => Err.WriteLine($"{Level(level)}: {msg}"), verbose ? LogLevel.Debug : LogLevel.Warning);

    private static string Level(LogLevel l) => l switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warning",
        _ => "error",
    };
}
