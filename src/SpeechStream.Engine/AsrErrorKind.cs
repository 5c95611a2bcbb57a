namespace SpeechStream.Engine;

/// <summary>What kind of failure an <see cref="AsrException"/> reports. The CLI maps it to an exit code
/// (InvalidInput/AudioFormat → 2, Authentication → 3, Incomplete → 5, the rest → 4; see Jobs.Verdicts) and the
/// cmdlets to an ErrorCategory.</summary>
public enum AsrErrorKind
{
    /// <summary>A parameter or option the user gave is not valid.</summary>
    InvalidInput,
    /// <summary>An audio file or stream could not be read or is not supported.</summary>
    AudioFormat,
    /// <summary>The provider refused the credentials (HTTP 401/403, or a token exchange failure).</summary>
    Authentication,
    /// <summary>The network failed, or the provider could not be reached after the retries.</summary>
    Connection,
    /// <summary>The provider broke its protocol, or closed with an error code.</summary>
    Provider,
    /// <summary>A bounded wait ran out (connect, ready, drain).</summary>
    Timeout,
    /// <summary>The session ended without a whole transcript: some audio got no confirmed final.</summary>
    Incomplete,
}
