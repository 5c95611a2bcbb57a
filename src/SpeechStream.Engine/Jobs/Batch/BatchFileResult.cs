namespace SpeechStream.Engine.Jobs.Batch;

/// <summary>How one input of a batch went: its outcome (null when skipped), where its output went, its rows and the
/// seconds of audio sent.</summary>
public sealed record BatchFileResult(string Input, FileOutcome? Outcome, string? OutputPath, int Rows, double AudioSeconds)
{
    /// <summary>True when the input was skipped (<c>--skip-existing</c>): nothing was sent.</summary>
    public bool Skipped => Outcome is null;
    /// <summary>The input's verdict; a skipped input counts as whole.</summary>
    public Verdict Verdict => Outcome?.Verdict ?? Verdict.Whole;
}
