namespace SpeechStream.Cli;

/// <summary>A stop that came while the CLI waited for an input before connecting anything (the API key): its message
/// says what it waited for, instead of "sessions closed".</summary>
internal sealed class StoppedWhileWaitingException(string waitingFor, CancellationToken ct)
    : OperationCanceledException($"Stopped while waiting for {waitingFor}.", ct)
{
    /// <summary>What the CLI was waiting for, e.g. "the API key from standard input (--api-key -)".</summary>
    public string WaitingFor { get; } = waitingFor;
}
