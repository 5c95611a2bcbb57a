namespace SpeechStream.Engine.Jobs;

/// <summary>
/// What a run amounts to, in increasing order of severity: with several providers, channels or files the worst one
/// is reported (<see cref="Verdicts.Worst"/>). The CLI's exit code follows it (<see cref="Verdicts.ExitCode"/>).
/// </summary>
public enum Verdict
{
    /// <summary>Every session confirmed completion and every second sent is covered (exit 0).</summary>
    Whole,
    /// <summary>Some audio got no confirmed final: rows marked Unconfirmed, a warning names the audio (exit 5).</summary>
    Incomplete,
    /// <summary>A provider could not be reached or refused the request (exit 4); rows already written are kept.</summary>
    Failed,
    /// <summary>A provider refused the credentials (exit 3).</summary>
    AuthenticationFailed,
    /// <summary>Bad usage or unreadable input (exit 2).</summary>
    BadInput,
    /// <summary>Cancelled by Ctrl+C or SIGTERM (exit 130).</summary>
    Cancelled,
}
