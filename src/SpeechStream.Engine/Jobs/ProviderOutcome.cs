using SpeechStream.Engine.Sessions;

namespace SpeechStream.Engine.Jobs;

/// <summary>How one provider's session over a file (one channel of it, under Split) ended: a summary, or the error
/// that stopped it (which carries the summary when the session had started).</summary>
public sealed record ProviderOutcome(string Provider, string? Channel, SessionSummary? Summary, Exception? Error)
{
    /// <summary>The error's verdict; else Whole when the summary is whole, Incomplete otherwise.</summary>
    public Verdict Verdict => Error is not null ? Verdicts.Of(Error) : Summary is { IsWhole: true } ? Verdict.Whole : Verdict.Incomplete;

    /// <summary>What went wrong, in one line (empty when whole).</summary>
    public string Describe() => Error is not null ? Diagnostics.SecretRedactor.Redact(Error.Message) : Summary?.Describe() ?? "";

    /// <summary>The error to report: the session's, or <see cref="TranscriptIncompleteException"/> when it ended
    /// incomplete; null when whole.</summary>
    public Exception? Problem => Error ?? (Summary is { IsWhole: false } s ? new TranscriptIncompleteException(s) : null);
}
