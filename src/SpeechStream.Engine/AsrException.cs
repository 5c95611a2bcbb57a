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

/// <summary>
/// The one exception type the engine lets escape. <see cref="ErrorId"/> is a stable PascalCase identifier
/// (used as the PowerShell ErrorRecord id); the message names the input and what was expected, and never
/// contains an API key or token: it is redacted when the exception is made (<see cref="Diagnostics.SecretRedactor"/>),
/// so a key a server echoes back in an error frame or close reason, in any encoding, is masked.
/// </summary>
public class AsrException : Exception
{
    public AsrException(AsrErrorKind kind, string errorId, string message, Exception? inner = null)
        : base(Diagnostics.SecretRedactor.Redact(message), inner)
    {
        Kind = kind;
        ErrorId = errorId;
    }

    /// <summary>Stable identifier, e.g. <c>AuthenticationFailed</c>, <c>AudioCodecUnsupported</c>.</summary>
    public string ErrorId { get; }

    public AsrErrorKind Kind { get; }

    /// <summary>Provider name, when the failure came from one.</summary>
    public string? Provider { get; init; }

    /// <summary>HTTP status of a refused handshake or token request, when there was one.</summary>
    public int? HttpStatus { get; init; }

    /// <summary>The provider's own error code from an error frame (VoxNexus <c>UNSUPPORTED_FORMAT</c>, Smallest <c>code</c>).</summary>
    public string? ProviderCode { get; init; }

    /// <summary>WebSocket close code sent by the provider, when there was one.</summary>
    public int? CloseCode { get; init; }

    /// <summary>True when retrying the same request may succeed (refused, timeout, 5xx, 429, close 1013).</summary>
    public bool IsTransient { get; init; }

    /// <summary>How long the provider asked us to wait before retrying (Retry-After, Voxist retryAfterMs).</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The summary of the session this error ended, when it had started: what was sent, covered and lost.</summary>
    public Sessions.SessionSummary? Summary { get; internal set; }
}

/// <summary>An audio input that cannot be read: the message names the file, what was found and what is supported.</summary>
public sealed class AudioFormatException : AsrException
{
    public AudioFormatException(string source, string errorId, string problem, Exception? inner = null)
        : base(AsrErrorKind.AudioFormat, errorId, $"'{source}': {problem}", inner)
    {
        Source = source;
    }

    /// <summary>The file or stream name the problem was found in.</summary>
    public new string Source { get; }
}

/// <summary>A session that ended without a whole transcript (<see cref="AsrErrorKind.Incomplete"/>, ErrorId
/// <c>TranscriptIncomplete</c>): the message names the audio without a confirmed final; <see cref="AsrException.Summary"/>
/// has the details. The rows already written (some marked Unconfirmed) are the transcript there is.</summary>
public sealed class TranscriptIncompleteException : AsrException
{
    public const string Id = "TranscriptIncomplete";

    public TranscriptIncompleteException(Sessions.SessionSummary summary)
        : base(AsrErrorKind.Incomplete, Id, summary.Describe())
    {
        Provider = summary.Provider;
        Summary = summary;
    }
}
