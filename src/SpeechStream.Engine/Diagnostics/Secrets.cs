using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace SpeechStream.Engine.Diagnostics;

/// <summary>An API key or token. <see cref="ToString"/> never shows the value, so a key cannot reach a log
/// line, an error or verbose output by accident; code that must send it calls <see cref="Reveal"/>.</summary>
public sealed class Secret
{
    private readonly string _value;

    public Secret(string value)
    {
        if (string.IsNullOrWhiteSpace(value)) throw new ArgumentException("A secret cannot be empty.", nameof(value));
        _value = value.Trim();
        SecretRedactor.Register(_value);
    }

    /// <summary>The value, for the few places that put it on the wire.</summary>
    public string Reveal() => _value;

    public override string ToString() => SecretRedactor.Mask;
}

/// <summary>
/// Removes secrets from text bound for users: every registered key or token value, and the values of
/// <c>api_key</c>, <c>token</c>, <c>key</c> query parameters and <c>Authorization</c>, <c>apikey</c>,
/// <c>X-Api-Key</c>, <c>X-LVL-KEY</c> headers. Every log sink and error path of the project passes through it.
/// </summary>
public static partial class SecretRedactor
{
    public const string Mask = "***";
    private static readonly ConcurrentDictionary<string, byte> Known = new();

    /// <summary>Registers a value that must never be shown (keys, tokens obtained from a provider).</summary>
    public static void Register(string? secret)
    {
        if (!string.IsNullOrEmpty(secret) && secret.Length >= 4) Known.TryAdd(secret, 0);
    }

    /// <summary>Returns <paramref name="text"/> with every secret replaced by <c>***</c>.</summary>
    public static string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? string.Empty;
        foreach (var s in Known.Keys)
            if (text.Contains(s, StringComparison.Ordinal)) text = text.Replace(s, Mask, StringComparison.Ordinal);
        text = QueryPattern().Replace(text, m => m.Groups[1].Value + Mask);
        text = HeaderPattern().Replace(text, m => m.Groups[1].Value + Mask);
        return text;
    }

    /// <summary>A URI as it may be shown: secret query values masked.</summary>
    public static string Redact(Uri uri) => Redact(uri.ToString());

    [GeneratedRegex(@"((?:[?&]|\b)(?:api_key|apikey|token|access_token|key)=)[^&\s""']+", RegexOptions.IgnoreCase)]
    private static partial Regex QueryPattern();

    [GeneratedRegex(@"((?:Authorization|apikey|X-Api-Key|X-LVL-KEY)\s*[:=]\s*(?:Bearer\s+|Token\s+)?)[^\s,;""']+", RegexOptions.IgnoreCase)]
    private static partial Regex HeaderPattern();
}
