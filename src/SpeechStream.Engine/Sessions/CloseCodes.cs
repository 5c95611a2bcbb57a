using System.Text.RegularExpressions;

namespace SpeechStream.Engine.Sessions;

/// <summary>
/// The one close-code table every provider starts from (RFC 6455 §7.4.1 and the IANA registry):
/// <list type="bullet">
/// <item>1000/1005 after the end of stream: <see cref="CloseKind.NormalAfterEnd"/>; before it, the server ended the
/// session early: <see cref="CloseKind.Transient"/> (reconnect and replay).</item>
/// <item>1001 going away (a deploy, an evicted pod), 1006 dropped, 1011 server error, 1012 service restart,
/// 1013 try again later, 1014 bad gateway: <see cref="CloseKind.Transient"/>.</item>
/// <item>1008 (policy) whose reason mentions a key, token, credential or authorisation: <see cref="CloseKind.Authentication"/>.</item>
/// <item>Every other code (1002, 1003, 1007, 1008, 1009, 1010, 4xxx…): <see cref="CloseKind.Refused"/>.</item>
/// </list>
/// A provider overrides an entry only where its document says so (<c>ProviderProtocol.OverrideClose</c>, with the
/// document named in its README).
/// </summary>
public static partial class CloseCodes
{
    /// <summary>Codes after which the session reconnects and replays the audio no final covered.</summary>
    public static readonly IReadOnlySet<int> Reconnect = new HashSet<int> { 1001, 1006, 1011, 1012, 1013, 1014 };

    /// <summary>True when a close reason speaks of the credentials ("Invalid API key", "token expired", "Unauthorized").</summary>
    public static bool MentionsCredentials(string? reason) => reason is not null && CredentialWords().IsMatch(reason);

    [GeneratedRegex(@"api[\s_-]?key|\bkey\b|token|credential|auth|forbidden|apikey", RegexOptions.IgnoreCase)]
    private static partial Regex CredentialWords();

    /// <summary>Reads a close with the table above.</summary>
    public static CloseVerdict Classify(string provider, int code, string? reason, bool endOfStreamSent)
    {
        string why = string.IsNullOrWhiteSpace(reason) ? "" : $": {reason}";
        if (code is 1000 or 1005)
            return endOfStreamSent
                ? new CloseVerdict(CloseKind.NormalAfterEnd, Error(AsrErrorKind.Provider, "ClosedWithoutCompletion",
                    $"{provider} closed the connection ({code}{why}) after the end of stream without its completion signal.", provider, code))
                : new CloseVerdict(CloseKind.Transient, Error(AsrErrorKind.Connection, "ClosedBeforeEndOfStream",
                    $"{provider} closed the connection ({code}{why}) before the end of stream.", provider, code, transient: true));
        if (Reconnect.Contains(code))
            return new CloseVerdict(CloseKind.Transient, Error(AsrErrorKind.Connection, code == 1006 ? "ConnectionLost" : "ConnectionClosed",
                $"{provider} closed the connection ({code} {Name(code)}{why}).", provider, code, transient: true));
        if (code == 1008 && MentionsCredentials(reason))
            return Authentication(provider, code, reason);
        return new CloseVerdict(CloseKind.Refused, Error(AsrErrorKind.Provider, "ProviderClosed",
            $"{provider} closed the connection ({code} {Name(code)}{why}).", provider, code));
    }

    /// <summary>The verdict for a close that refused the credentials.</summary>
    public static CloseVerdict Authentication(string provider, int code, string? reason) =>
        new(CloseKind.Authentication, Error(AsrErrorKind.Authentication, "AuthenticationFailed",
            $"{provider} refused the credentials after the upgrade ({code}{(string.IsNullOrWhiteSpace(reason) ? "" : $": {reason}")}). " +
            "Check the key given with -ApiKey/--api-key or in the provider's environment variable.", provider, code));

    /// <summary>
    /// Reads a provider's error frame with the same table: its code or message names the credentials (or an auth code
    /// such as 401/403, <c>UNAUTHORIZED</c>): authentication, never retried (exit 3); it speaks of a passing condition
    /// (overloaded, capacity, internal error, timeout, unavailable, try again, a 5xx/1011/1013 code): transient, so the
    /// session reconnects and replays; anything else: the provider refused the request (exit 4, no replay). The
    /// provider's message and code are in the error the user sees, secrets masked.
    /// </summary>
    /// <param name="errorId">The stable ErrorId for a refusal, e.g. <c>SmallestError</c>.</param>
    /// <param name="code">The frame's code (<c>code</c>, <c>error_code</c>), if any.</param>
    public static AsrException ErrorFrame(string provider, string errorId, string? code, string message)
    {
        string shownCode = code is null ? "" : $" ({Diagnostics.SecretRedactor.Redact(code)})";
        string text = $"{provider} reported an error{shownCode}: {Diagnostics.SecretRedactor.Redact(message).TrimEnd('.')}.";
        string both = (code ?? "") + " " + message;
        if (CredentialError().IsMatch(both) || AuthCode().IsMatch(code ?? ""))
            return new AsrException(AsrErrorKind.Authentication, "AuthenticationFailed",
                text + " Check the key given with -ApiKey/--api-key or in the provider's environment variable.") { Provider = provider, ProviderCode = code };
        if (PassingWords().IsMatch(both) || PassingCode().IsMatch(code ?? ""))
            return new AsrException(AsrErrorKind.Connection, errorId, text) { Provider = provider, ProviderCode = code, IsTransient = true };
        return new AsrException(AsrErrorKind.Provider, errorId, text) { Provider = provider, ProviderCode = code };
    }

    /// <summary>An error frame about the credentials (stricter than a close reason: "max tokens exceeded" is not one).</summary>
    [GeneratedRegex(@"api[\s_-]?key|apikey|credential|unauthori[sz]ed|forbidden|authenticat|(invalid|expired|missing)[\s_-]?(auth|token)|token[\s_-]?(expired|invalid)|INVALID_API_KEY", RegexOptions.IgnoreCase)]
    private static partial Regex CredentialError();

    [GeneratedRegex(@"^\s*(401|403)\s*$")]
    private static partial Regex AuthCode();

    [GeneratedRegex(@"overload|capacity|internal|time[sd]?\s?out|unavailable|try again|retry|temporar|busy", RegexOptions.IgnoreCase)]
    private static partial Regex PassingWords();

    [GeneratedRegex(@"^\s*(5\d\d|1011|1012|1013|1014)\s*$")]
    private static partial Regex PassingCode();

    /// <summary>The RFC 6455 name of a close code, for messages.</summary>
    public static string Name(int code) => code switch
    {
        1000 => "normal closure",
        1001 => "going away",
        1002 => "protocol error",
        1003 => "unsupported data",
        1005 => "no status",
        1006 => "abnormal closure",
        1007 => "invalid payload",
        1008 => "policy violation",
        1009 => "message too big",
        1010 => "mandatory extension",
        1011 => "internal error",
        1012 => "service restart",
        1013 => "try again later",
        1014 => "bad gateway",
        _ => "application code",
    };

    private static AsrException Error(AsrErrorKind kind, string id, string message, string provider, int code, bool transient = false) =>
        new(kind, id, message) { Provider = provider, CloseCode = code, IsTransient = transient };
}
