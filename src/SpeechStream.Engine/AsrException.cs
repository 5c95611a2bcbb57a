namespace SpeechStream.Engine;

/// <summary>
/// The one exception type the engine lets escape. <see cref="ErrorId"/> is a stable PascalCase identifier
/// (used as the PowerShell ErrorRecord id); the message names the input and what was expected, and never
/// contains an API key or token: it is redacted when the exception is made (<see cref="Diagnostics.SecretRedactor"/>),
/// so a key a server echoes back in an error frame or close reason, in any encoding, is masked.
/// </summary>
public class AsrException : Exception
{
    /// <summary>An error of <paramref name="kind"/> with a stable <paramref name="errorId"/>; <paramref name="message"/> is redacted
    /// (keys and tokens masked) before it is kept.</summary>
    public AsrException(AsrErrorKind kind, string errorId, string message, Exception? inner = null)
        : base(Diagnostics.SecretRedactor.Redact(message), inner)
    {
        Kind = kind;
        ErrorId = errorId;
    }

    /// <summary>Stable identifier, e.g. <c>AuthenticationFailed</c>, <c>AudioCodecUnsupported</c>.</summary>
    public string ErrorId { get; }

    /// <summary>What kind of failure it is (mapped to an exit code and a PowerShell ErrorCategory).</summary>
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
