using SpeechStream.Engine.Diagnostics;

namespace SpeechStream.Cli;

/// <summary>
/// Reads the API key as <see cref="CliOptions.ReadKey"/> does, but so that a stop (Ctrl+C, SIGTERM, SIGHUP) ends the
/// wait: a key read from standard input (<c>--api-key -</c>) or from a FIFO (<c>--api-key-file</c>) can block for
/// ever (a line never ended, a FIFO no one writes, whose open(2) itself blocks). The blocking read runs on a
/// background thread of its own, which the process leaves behind when it exits; a key given on the command line
/// (or none) is read at once.
/// </summary>
internal static class KeyReading
{
    /// <param name="note">Told, before a read that may block, where the key is read from (for <c>--verbose</c>).</param>
    /// <exception cref="StoppedWhileWaitingException">The stop came while the key was being read.</exception>
    public static async Task<Secret?> ReadKeyAsync(string? key, string? keyFile, Func<TextReader> stdin, Action<string>? note, CancellationToken ct)
    {
        if ((key is not null && keyFile is not null) || (keyFile is null && key != "-"))
            return CliOptions.ReadKey(key, keyFile, TextReader.Null); // nothing to wait for (or refused at once)
        string from = keyFile is not null ? $"--api-key-file '{keyFile}'" : "standard input (--api-key -)";
        note?.Invoke($"Reading the API key from {from}.");
        if (ct.IsCancellationRequested) throw new StoppedWhileWaitingException($"the API key from {from}", ct);
        var read = Task.Factory.StartNew(() => CliOptions.ReadKey(key, keyFile, keyFile is null ? stdin() : TextReader.Null),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            return await read.WaitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw new StoppedWhileWaitingException($"the API key from {from}", ct);
        }
    }
}
