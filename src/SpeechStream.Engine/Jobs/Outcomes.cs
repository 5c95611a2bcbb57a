using SpeechStream.Engine.Sessions;

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

/// <summary>Verdicts: from errors, the worst of several, and the CLI exit code of each.</summary>
public static class Verdicts
{
    /// <summary>The exit code of <c>speechstream</c> for a verdict: 0, 5, 4, 3, 2 or 130.</summary>
    public static int ExitCode(Verdict v) => v switch
    {
        Verdict.Whole => 0,
        Verdict.Incomplete => 5,
        Verdict.Failed => 4,
        Verdict.AuthenticationFailed => 3,
        Verdict.BadInput => 2,
        _ => 130,
    };

    /// <summary>The most severe of <paramref name="verdicts"/> (Whole when there are none).</summary>
    public static Verdict Worst(IEnumerable<Verdict> verdicts) => verdicts.DefaultIfEmpty(Verdict.Whole).Max();

    /// <summary>The verdict an error stands for.</summary>
    public static Verdict Of(Exception error) => error switch
    {
        OperationCanceledException => Verdict.Cancelled,
        AsrException { Kind: AsrErrorKind.InvalidInput or AsrErrorKind.AudioFormat } => Verdict.BadInput,
        AsrException { Kind: AsrErrorKind.Authentication } => Verdict.AuthenticationFailed,
        AsrException { Kind: AsrErrorKind.Incomplete } => Verdict.Incomplete,
        _ => Verdict.Failed,
    };
}

/// <summary>How one provider's session over a file (one channel of it, under Split) ended: a summary, or the error
/// that stopped it (which carries the summary when the session had started).</summary>
public sealed record ProviderOutcome(string Provider, string? Channel, SessionSummary? Summary, Exception? Error)
{
    public Verdict Verdict => Error is not null ? Verdicts.Of(Error) : Summary is { IsWhole: true } ? Verdict.Whole : Verdict.Incomplete;

    /// <summary>What went wrong, in one line (empty when whole).</summary>
    public string Describe() => Error is not null ? Diagnostics.SecretRedactor.Redact(Error.Message) : Summary?.Describe() ?? "";

    /// <summary>The error to report: the session's, or <see cref="TranscriptIncompleteException"/> when it ended
    /// incomplete; null when whole.</summary>
    public Exception? Problem => Error ?? (Summary is { IsWhole: false } s ? new TranscriptIncompleteException(s) : null);
}

/// <summary>How one input went: every provider's outcome, or the error that kept it from being read.</summary>
public sealed record FileOutcome(string Source, IReadOnlyList<ProviderOutcome> Providers, AsrException? InputError = null)
{
    /// <summary>Protocol violations the built-in emulators saw (only with -Emulate / --emulate).</summary>
    public IReadOnlyList<string> EmulatorViolations { get; init; } = Array.Empty<string>();

    public Verdict Verdict => InputError is not null ? Verdicts.Of(InputError) : Verdicts.Worst(Providers.Select(p => p.Verdict));
}
