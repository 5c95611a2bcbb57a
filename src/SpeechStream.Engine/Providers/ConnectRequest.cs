using SpeechStream.Engine.Diagnostics;

namespace SpeechStream.Engine.Providers;

/// <summary>The WebSocket request to open: the URL with its credentials, extra headers, and what may be shown.</summary>
public sealed class ConnectRequest
{
    /// <summary>The WebSocket URL to open, with any credential in its query (never logged: see <see cref="DisplayUri"/>).</summary>
    public required Uri Uri { get; init; }
    /// <summary>Headers to send with the upgrade request (e.g. <c>Authorization</c>); names compare case-insensitively.</summary>
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>The URI with every secret masked, for logs and errors.</summary>
    public string DisplayUri => SecretRedactor.Redact(Uri);
    /// <summary>When the credential in the request expires (Voxist's 1-hour token); the session renews the connection
    /// before then. Null: no expiry.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
    /// <summary>When the credential was issued (for the renewal margin).</summary>
    public DateTimeOffset IssuedAt { get; init; } = DateTimeOffset.UtcNow;
}
