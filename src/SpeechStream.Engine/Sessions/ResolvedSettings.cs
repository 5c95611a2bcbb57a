using SpeechStream.Engine.Diagnostics;
using SpeechStream.Engine.Providers;

namespace SpeechStream.Engine.Sessions;

/// <summary>Settings after applying the provider's defaults and the environment variable.</summary>
/// <param name="Notes">What was noticed about values the provider may or may not take (a language or model outside an
/// open list, <see cref="ValueCheck"/>), one line each for the Verbose stream.</param>
internal sealed record ResolvedSettings(string Language, int SampleRate, Secret ApiKey, string AuthMode, Uri Endpoint, string DisplayEndpoint,
    IReadOnlyList<string> Notes)
{
    /// <summary>The key given, else the provider's environment variable (<see cref="ProviderDescriptor.ApiKeyVariable"/>);
    /// null when there is neither. A key found is checked by <see cref="CheckKeyCharacters"/>.</summary>
    /// <exception cref="AsrException">InvalidInput, ApiKeyMalformed.</exception>
    internal static Secret? KeyOrEnvironment(ProviderDescriptor d, Secret? key)
    {
        if (key is null && Environment.GetEnvironmentVariable(d.ApiKeyVariable) is { } env && !string.IsNullOrWhiteSpace(env))
            key = new Secret(env);
        if (key is not null) CheckKeyCharacters(d.Name, key);
        return key;
    }

    /// <summary>Refuses, before any connection, a key with a character that no HTTP header or URL carries as it is:
    /// outside printable ASCII (a non-ASCII letter, a space, a tab, a line break). The message gives its position,
    /// never the key.</summary>
    /// <exception cref="AsrException">InvalidInput, ApiKeyMalformed.</exception>
    private static void CheckKeyCharacters(string provider, Secret key)
    {
        string k = key.Reveal();
        if (ValueCheck.FirstOutsidePrintableAscii(k) is var i and >= 0)
            throw new AsrException(AsrErrorKind.InvalidInput, "ApiKeyMalformed",
                $"The API key for {provider} has a character that cannot be sent in an HTTP header or URL (a non-ASCII letter, " +
                $"a space, a tab or a line break) at position {i + 1} of {k.Length}: check that the key was copied whole and alone.")
            { Provider = provider };
    }

    /// <summary>Every check made before connecting, in the order a user meets them: the key (unless
    /// <paramref name="requireKey"/> is false: an emulator will give one), auth mode, sample rate, language (closed lists
    /// refused, <see cref="ValueCheck.Language"/>), endpoint, options, typed parameters, model.</summary>
    /// <exception cref="AsrException">InvalidInput naming the value and what was expected.</exception>
    public static ResolvedSettings Resolve(ProviderProtocol protocol, SessionOptions o, bool requireKey = true)
    {
        var d = protocol.Descriptor;
        var key = KeyOrEnvironment(d, o.ApiKey) ?? (requireKey ? null : new Secret("unchecked"))
            ?? throw new AsrException(AsrErrorKind.InvalidInput, "ApiKeyMissing",
                $"No API key for {d.Name}: pass -ApiKey (PowerShell) or --api-key (CLI), or set the {d.ApiKeyVariable} environment variable. " +
                "To try SpeechStream without an account, use -Emulate / --emulate.") { Provider = d.Name };
        string auth = (o.AuthMode ?? d.DefaultAuthMode).ToLowerInvariant();
        if (!d.AuthModes.Contains(auth))
            throw new AsrException(AsrErrorKind.InvalidInput, "AuthModeUnknown",
                $"{d.Name} does not support auth mode '{o.AuthMode}'. Expected one of: {string.Join(", ", d.AuthModes)}.") { Provider = d.Name };
        int rate = o.SampleRate ?? d.DefaultSampleRate;
        if (!d.SampleRates.Contains(rate))
            throw new AsrException(AsrErrorKind.InvalidInput, "SampleRateUnsupported",
                $"{d.Name} does not accept a sample rate of {rate} Hz. Expected one of: {string.Join(", ", d.SampleRates)} Hz (audio is resampled to it).") { Provider = d.Name };
        var notes = new List<string>();
        string language = d.DefaultLanguage ?? "";
        if (!string.IsNullOrWhiteSpace(o.Language))
        {
            var checkedLanguage = ValueCheck.Language(d, o.Language);
            language = checkedLanguage.Value;
            if (checkedLanguage.Note is { } note) notes.Add(note);
        }
        Uri endpoint;
        if (o.Endpoint is not null)
        {
            if (o.Endpoint.Scheme is not ("ws" or "wss"))
                throw new AsrException(AsrErrorKind.InvalidInput, "EndpointInvalid",
                    $"Endpoint '{SecretRedactor.Redact(o.Endpoint)}' must be a ws:// or wss:// URL.") { Provider = d.Name };
            endpoint = o.Endpoint;
        }
        else endpoint = d.GetEndpoint(o.Environment).Url;
        RequireEncryption(d.Name, endpoint, o.AllowUnencrypted);
        ProviderOptionValidator.Validate(d, o.ProviderOptions);
        CheckCommonParameters(d, o);
        if (!string.IsNullOrWhiteSpace(o.Model) && ValueCheck.Model(d, o.Model).Note is { } modelNote) notes.Add(modelNote);
        return new ResolvedSettings(language, rate, key, auth, endpoint, SecretRedactor.Redact(endpoint), notes);
    }

    /// <summary>Refuses ws:// to a host that is not loopback (the key would travel in clear) unless allowed.</summary>
    /// <exception cref="AsrException">InvalidInput "UnencryptedConnectionRefused".</exception>
    public static void RequireEncryption(string provider, Uri endpoint, bool allowUnencrypted)
    {
        if (endpoint.Scheme is "wss" or "https" || allowUnencrypted || endpoint.IsLoopback) return;
        throw new AsrException(AsrErrorKind.InvalidInput, "UnencryptedConnectionRefused",
            $"Endpoint '{SecretRedactor.Redact(endpoint)}' is unencrypted ({endpoint.Scheme}://) and not on this machine: the API key would travel in clear. " +
            "Use wss://, or pass -AllowUnencryptedConnection / --allow-unencrypted if you mean it.") { Provider = provider };
    }

    /// <exception cref="AsrException">InvalidInput: a typed parameter the provider has no counterpart for, or a missing required model.</exception>
    private static void CheckCommonParameters(ProviderDescriptor d, SessionOptions o)
    {
        void Require(CommonParameters p, bool given, string name)
        {
            if (given && !d.Parameters.HasFlag(p))
                throw new AsrException(AsrErrorKind.InvalidInput, "ParameterNotSupported",
                    $"{d.Name} has no counterpart for {name}. It supports: {(d.Parameters == CommonParameters.None ? "none of -Model, -WordTimestamps, -Diarize, -Vocabulary" : d.Parameters.ToString())}.")
                { Provider = d.Name };
        }
        Require(CommonParameters.Model, !string.IsNullOrWhiteSpace(o.Model), "-Model/--model");
        Require(CommonParameters.WordTimestamps, o.WordTimestamps is not null, "-WordTimestamps/--word-timestamps");
        Require(CommonParameters.Diarize, o.Diarize is not null, "-Diarize/--diarize");
        Require(CommonParameters.Vocabulary, o.Vocabulary is { Count: > 0 }, "-Vocabulary/--vocabulary");
        if (d.RequiresModel && string.IsNullOrWhiteSpace(o.Model))
            throw new AsrException(AsrErrorKind.InvalidInput, "ModelRequired",
                $"{d.Name} needs a model: pass -Model (PowerShell) or --model (CLI), e.g. {string.Join(", ", d.Models.Take(3))}.")
            { Provider = d.Name };
    }
}
