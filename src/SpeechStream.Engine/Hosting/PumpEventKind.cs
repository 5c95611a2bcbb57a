namespace SpeechStream.Engine.Hosting;

/// <summary>Which PowerShell stream a pumped event goes to; <see cref="Call"/> runs an <see cref="Action"/> on the
/// pipeline thread (for what must be decided there, such as writing a file's errors and results together).</summary>
public enum PumpEventKind
{
    /// <summary>An object for the output stream (WriteObject).</summary>
    Output,
    /// <summary>A message for the verbose stream.</summary>
    Verbose,
    /// <summary>A message for the debug stream.</summary>
    Debug,
    /// <summary>A message for the warning stream.</summary>
    Warning,
    /// <summary>A ProgressRecord (WriteProgress).</summary>
    Progress,
    /// <summary>An ErrorRecord, not terminating (WriteError).</summary>
    Error,
    /// <summary>An <see cref="Action"/> to run on the pipeline thread.</summary>
    Call,
}
