using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace SpeechStream.Engine.Diagnostics;

/// <summary>
/// Removes secrets from text bound for users: every registered key or token value, raw and in the encodings a
/// server might echo it back in (base64 and base64url at any byte alignment, so inside a larger encoded string too;
/// URL-encoded; hex), and the values of <c>api_key</c>, <c>token</c>, <c>key</c> query parameters and
/// <c>Authorization</c>, <c>apikey</c>, <c>X-Api-Key</c>, <c>X-LVL-KEY</c> headers. Every log sink and error path of
/// the project passes through it, and every <see cref="AsrException"/> message is redacted when it is made.
/// </summary>
public static partial class SecretRedactor
{
    /// <summary>What a secret is replaced with: <c>***</c>.</summary>
    public const string Mask = "***";
    private static readonly ConcurrentDictionary<string, byte> Known = new();

    /// <summary>Shortest value registered: no real key is this short, and a shorter one would mask ordinary words.</summary>
    private const int MinSecretLength = 6;

    /// <summary>Shortest encoded fragment registered: shorter ones could mask ordinary text.</summary>
    private const int MinEncodedLength = 8;

    /// <summary>Registers a value that must never be shown (keys, tokens obtained from a provider), with its encodings.</summary>
    public static void Register(string? secret)
    {
        if (string.IsNullOrEmpty(secret) || secret.Length < MinSecretLength || !Known.TryAdd(secret, 0)) return;
        foreach (var variant in Encodings(secret))
            if (variant.Length >= MinEncodedLength && variant != secret) Known.TryAdd(variant, 0);
        Volatile.Write(ref _byLength, null);
    }

    private static string[]? _byLength;

    /// <summary>The registered forms, longest first, so a form that contains another is masked whole.</summary>
    private static string[] ByLength() =>
        Volatile.Read(ref _byLength) ?? (_byLength = Known.Keys.OrderByDescending(k => k.Length).ToArray());

    /// <summary>The forms a secret may take in text: URL-encoded, hex, and base64/base64url at each of the three byte
    /// alignments it can have inside a larger encoded string (the characters that also encode neighbouring bytes are
    /// left out, so the fragment matches wherever the secret sits).</summary>
    internal static IEnumerable<string> Encodings(string secret)
    {
        yield return Uri.EscapeDataString(secret);
        yield return System.Net.WebUtility.UrlEncode(secret);
        var bytes = System.Text.Encoding.UTF8.GetBytes(secret);
        yield return Convert.ToHexString(bytes);
        yield return Convert.ToHexString(bytes).ToLowerInvariant();
        for (int pad = 0; pad < 3; pad++)
        {
            var shifted = new byte[pad + bytes.Length];
            bytes.CopyTo(shifted, pad);
            string b64 = Convert.ToBase64String(shifted).TrimEnd('=');
            int skip = pad == 0 ? 0 : 4; // the first group mixes the neighbour's bytes with the secret's
            int total = pad + bytes.Length;
            int keep = total % 3 == 0 ? b64.Length : b64.Length - (total % 3 + 1); // so does a last, partial group
            if (keep - skip <= 0) continue;
            string stable = b64[skip..keep];
            yield return stable;
            yield return stable.Replace('+', '-').Replace('/', '_');
            if (pad == 0) yield return Convert.ToBase64String(bytes); // the whole value, padding included
        }
    }

    /// <summary>Returns <paramref name="text"/> with every secret replaced by <c>***</c>.</summary>
    public static string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? string.Empty;
        foreach (var s in ByLength())
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
