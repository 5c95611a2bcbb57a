using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using SpeechStream.Cli.Commands;
using SpeechStream.Engine;
using SpeechStream.Engine.Audio;
using SpeechStream.Engine.Diagnostics;

namespace SpeechStream.Cli;

/// <summary>The <c>speechstream</c> command line: parsing (every value checked before any connection), the commands in
/// <c>Commands/</c>, and how a run ends. Transcripts go to stdout, diagnostics and progress to stderr.</summary>
internal sealed class CliApp
{
    private readonly CliContext _ctx;
    private readonly CancellationTokenSource _stop = new();
    private int _stopCode;

    /// <param name="stdin">What the file name "-" and "--api-key -" read (default: the console's standard input).</param>
    /// <param name="stdoutFd">A file descriptor to watch for a closed reader (1 for the real stdout), or -1.</param>
    public CliApp(TextWriter stdout, TextWriter stderr, bool interactiveStderr = false, Stream? stdin = null, int stdoutFd = -1)
    {
        int width = 80;
        if (interactiveStderr) { try { width = Console.WindowWidth > 0 ? Console.WindowWidth : 80; } catch (IOException) { } }
        var console = new ConsoleOutput(stdout, stderr, interactiveStderr, stdoutFd, width);
        console.StdoutClosed += () => Stop(ExitCodes.StdoutClosed);
        console.StdoutFailed += _ => Stop(ExitCodes.OutputFailed);
        _ctx = new CliContext(console, stdin);
    }

    /// <summary>Runs in a console. Ctrl+C: the first asks <c>listen</c> to stop gracefully (the last results are still
    /// written) and cancels anything else; a second aborts. SIGTERM cancels at once (exit 143), and so does SIGHUP (exit
    /// 129: the terminal was closed, an ssh session ended without nohup). Either way sessions are closed with a close
    /// frame, a capture or decoding process is ended, and rows already received are written (an output folder's
    /// file renamed <c>.incomplete</c>). A stop while the key is still being read ends that wait.</summary>
    public static async Task<int> RunConsoleAsync(string[] args)
    {
        var app = new CliApp(ConsoleOutput.OpenStdout(), Console.Error, !Console.IsErrorRedirected, stdin: null,
            stdoutFd: Console.IsOutputRedirected ? 1 : -1);
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            if (app._ctx.Listening && !app._ctx.GracefulStop.IsCancellationRequested)
            {
                app._ctx.GracefulStop.Cancel();
                app._ctx.Err.WriteLine("speechstream: stopping; Ctrl+C again to abort.");
            }
            else app.Stop(ExitCodes.Cancelled);
        };
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; app.Stop(ExitCodes.Terminated); });
        using var hup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, c => { c.Cancel = true; app.Stop(ExitCodes.HangUp); });
        return await app.RunAsync(args, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Asks a running <c>listen</c> to stop capturing and finish (what the first Ctrl+C does).</summary>
    public void RequestStop() => _ctx.GracefulStop.Cancel();

    /// <summary>Cancels the run; it ends with <paramref name="exitCode"/> (the first stop's code wins).</summary>
    public void Stop(int exitCode)
    {
        Interlocked.CompareExchange(ref _stopCode, exitCode, 0);
        try { _stop.Cancel(); } catch (ObjectDisposedException) { }
    }

    /// <summary>Parses and runs a command line.</summary>
    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var root = BuildCommand();
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is not HelpWithExamples)
        {
            foreach (var e in parse.Errors) _ctx.Err.WriteLine("speechstream: " + WithSuggestion(e.Message, parse));
            _ctx.Err.WriteLine($"Try 'speechstream {(parse.CommandResult.Command is RootCommand ? "" : parse.CommandResult.Command.Name + " ")}--help'.");
            return ExitCodes.Usage;
        }
        try
        {
            int code = await InvokeAsync(parse, cancellationToken).ConfigureAwait(false);
            try { _ctx.Out.Flush(); } catch (IOException) { }
            if (code != ExitCodes.OutputFailed && Volatile.Read(ref _stopCode) == ExitCodes.OutputFailed)
            {
                // The last rows could not be written after the run had ended: the output is not whole.
                _ctx.Err.WriteLine(StopMessage(ExitCodes.OutputFailed, null));
                code = ExitCodes.OutputFailed;
            }
            return code;
        }
        finally
        {
            try { _ctx.Out.Flush(); } catch (IOException) { }
            _ctx.Console.Dispose();
        }
    }

    /// <summary>Runs a parsed command line: its exit code, and the line on stderr for an error or a stop.</summary>
    private async Task<int> InvokeAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        // Ctrl+C, SIGTERM and SIGHUP are handled in RunConsoleAsync, not by System.CommandLine.
        var config = new InvocationConfiguration { Output = _ctx.Out, Error = _ctx.Err, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        try
        {
            return await parse.InvokeAsync(config, cancel.Token).ConfigureAwait(false);
        }
        catch (AsrException e)
        {
            _ctx.Err.WriteLine($"speechstream: {SecretRedactor.Redact(e.Message)}");
            return ExitCodes.For(e);
        }
        catch (OperationCanceledException e) when (cancel.IsCancellationRequested)
        {
            int code = _stopCode != 0 ? _stopCode : ExitCodes.Cancelled;
            _ctx.Err.WriteLine(StopMessage(code, (e as StoppedWhileWaitingException)?.WaitingFor));
            return code;
        }
    }

    /// <summary>The line on stderr for a run stopped with <paramref name="code"/>; <paramref name="waitingFor"/>: what
    /// it was still waiting for before connecting anything (the key), or null.</summary>
    private string StopMessage(int code, string? waitingFor)
    {
        string how = code switch
        {
            ExitCodes.StdoutClosed => "standard output was closed",
            ExitCodes.Terminated => "terminated (SIGTERM)",
            ExitCodes.HangUp => "hangup (SIGHUP)",
            ExitCodes.OutputFailed => $"cannot write standard output: {_ctx.Console.StdoutError}",
            _ => "cancelled",
        };
        if (waitingFor is not null) return $"speechstream: {how} while waiting for {waitingFor}; nothing was connected.";
        return code switch
        {
            ExitCodes.StdoutClosed or ExitCodes.OutputFailed => $"speechstream: {how}; stopped (sessions closed).",
            _ => $"speechstream: {how}; sessions closed, rows received were written.",
        };
    }

    private RootCommand BuildCommand()
    {
        var root = new RootCommand("Stream audio to speech-to-text providers and write transcripts (SpeechStream).");
        var examples = new Dictionary<Command, string[]>();
        void Add(Command c, string[] ex) { root.Subcommands.Add(c); examples[c] = ex; }
        Add(TranscribeCommand.Build(_ctx), TranscribeCommand.Examples);
        Add(ListenCommand.Build(_ctx), ListenCommand.Examples);
        Add(SpeakCommand.Build(_ctx), SpeakCommand.Examples);
        Add(EmulateCommand.Build(_ctx), EmulateCommand.Examples);
        Add(ProvidersCommand.Build(_ctx), ProvidersCommand.Examples);
        examples[root] = new[] { TranscribeCommand.Examples[0], TranscribeCommand.Examples[3], "speechstream transcribe --help" };
        foreach (var help in root.Options.OfType<HelpOption>())
            if (help.Action is SynchronousCommandLineAction inner) help.Action = new HelpWithExamples(inner, examples);
        return root;
    }

    /// <summary>Adds "did you mean" to System.CommandLine's "Unrecognized command or argument 'x'".</summary>
    private static string WithSuggestion(string message, ParseResult parse)
    {
        var m = Regex.Match(message, "^Unrecognized command or argument '(.+)'\\.?$");
        if (!m.Success) return message;
        var command = parse.CommandResult.Command;
        var names = command.Options.SelectMany(o => o.Aliases.Prepend(o.Name)).Concat(command.Subcommands.Select(c => c.Name));
        return message.TrimEnd('.') + "." + CliOptions.Suggest(m.Groups[1].Value, names);
    }

    /// <summary>The default help, then the command's examples.</summary>
    private sealed class HelpWithExamples(SynchronousCommandLineAction inner, IReadOnlyDictionary<Command, string[]> examples) : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            int code = inner.Invoke(parseResult);
            if (examples.TryGetValue(parseResult.CommandResult.Command, out var lines))
            {
                var o = parseResult.InvocationConfiguration.Output;
                o.WriteLine("Examples:");
                foreach (var l in lines) o.WriteLine("  " + l);
                o.WriteLine();
                o.Flush();
            }
            return code;
        }
    }

    /// <summary>The parse errors of a command line, as the user would see them (empty when it parses).</summary>
    internal static IReadOnlyList<string> ParseErrors(string[] args)
    {
        var app = new CliApp(TextWriter.Null, TextWriter.Null);
        var parse = app.BuildCommand().Parse(args);
        return parse.Action is HelpWithExamples ? Array.Empty<string>() : parse.Errors.Select(e => WithSuggestion(e.Message, parse)).ToList();
    }

    /// <inheritdoc cref="CliOptions.ParseRaw"/>
    public static AudioFormat? ParseRaw(string? spec) => CliOptions.ParseRaw(spec);
}
