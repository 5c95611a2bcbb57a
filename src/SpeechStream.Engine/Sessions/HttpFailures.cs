using System.Net.Sockets;
using SpeechStream.Engine.Diagnostics;

namespace SpeechStream.Engine.Sessions;

/// <summary>Maps HTTP answers and network failures to <see cref="AsrException"/>s with the likely fix.</summary>
public static class HttpFailures
{
    /// <summary>Maps a refused handshake or token request. 401/403 → Authentication (never retried);
    /// 429 and 5xx → transient; 400/402/404 → not retried.</summary>
    public static AsrException FromStatus(string provider, int status, TimeSpan? retryAfter, string apiKeyVariable, string displayUri)
    {
        string hint = Providers.ProviderRegistry.Find(provider)?.AuthenticationHint ?? "";
        return status switch
        {
            401 or 403 => new AsrException(AsrErrorKind.Authentication, "AuthenticationFailed",
                $"{provider} refused the API key (HTTP {status}). Check the key given with -ApiKey/--api-key or in {apiKeyVariable}.{hint}")
            { Provider = provider, HttpStatus = status },
            402 => new AsrException(AsrErrorKind.Provider, "PaymentRequired",
                $"{provider} refused the request (HTTP 402): the account has no credit left.") { Provider = provider, HttpStatus = status },
            400 => new AsrException(AsrErrorKind.InvalidInput, "ProviderRejectedRequest",
                $"{provider} rejected the connection request (HTTP 400) to {displayUri}: check the language, model and options.") { Provider = provider, HttpStatus = status },
            404 => new AsrException(AsrErrorKind.Connection, "EndpointNotFound",
                $"{provider} has no endpoint at {displayUri} (HTTP 404): check -Endpoint/--endpoint.") { Provider = provider, HttpStatus = status },
            429 => new AsrException(AsrErrorKind.Connection, "RateLimited",
                $"{provider} is rate limiting this account (HTTP 429).") { Provider = provider, HttpStatus = status, IsTransient = true, RetryAfter = retryAfter },
            >= 500 => new AsrException(AsrErrorKind.Connection, "ProviderUnavailable",
                $"{provider} is unavailable (HTTP {status}).") { Provider = provider, HttpStatus = status, IsTransient = true, RetryAfter = retryAfter },
            _ => new AsrException(AsrErrorKind.Connection, "HandshakeFailed",
                $"{provider} refused the connection to {displayUri} (HTTP {status}).") { Provider = provider, HttpStatus = status },
        };
    }

    /// <summary>A network failure before any HTTP answer (refused, DNS, reset): transient.</summary>
    /// <remarks>A failed TLS handshake is not transient (ErrorId TlsFailed): a retry meets the same server; the message
    /// says the likely cause (a wss:// URL to a server that speaks plain ws://, or a certificate this machine does not
    /// trust).</remarks>
    public static AsrException Unreachable(string provider, string displayUri, Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
            if (x is System.Security.Authentication.AuthenticationException tls)
                return new AsrException(AsrErrorKind.Connection, "TlsFailed",
                    $"Cannot reach {provider} at {displayUri}: the TLS handshake failed ({SecretRedactor.Redact(tls.Message)}). " +
                    "If the server speaks plain WebSocket, use ws:// instead of wss://; otherwise check that this machine trusts its certificate.", e)
                { Provider = provider };
        var inner = e;
        while (inner.InnerException is not null && inner is not SocketException) inner = inner.InnerException;
        string why = inner is SocketException se ? se.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => "connection refused",
            SocketError.HostNotFound or SocketError.NoData => "host not found",
            SocketError.TimedOut => "timed out",
            _ => se.Message,
        } : SecretRedactor.Redact(e.Message);
        return new AsrException(AsrErrorKind.Connection, "ConnectionFailed", $"Cannot reach {provider} at {displayUri}: {why}.", e)
        { Provider = provider, IsTransient = true };
    }

    /// <summary>Parses Retry-After in seconds or as an HTTP date.</summary>
    public static TimeSpan? ParseRetryAfter(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var s) && s >= 0)
            return TimeSpan.FromSeconds(s);
        if (DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at))
            return at > DateTimeOffset.UtcNow ? at - DateTimeOffset.UtcNow : TimeSpan.Zero;
        return null;
    }
}
