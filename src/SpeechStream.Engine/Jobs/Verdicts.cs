namespace SpeechStream.Engine.Jobs;

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
