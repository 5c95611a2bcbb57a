namespace SpeechStream.Engine.Providers;

/// <summary>Everything known about a provider without connecting: endpoints, auth, rates, languages,
/// options, capabilities, and the seed document it was built from.</summary>
public sealed class ProviderDescriptor
{
    /// <summary>The name users type (<c>-Provider</c>, <c>--provider</c>), e.g. <c>Voxist</c>; unique in the registry, compared case-insensitively.</summary>
    public required string Name { get; init; }
    /// <summary>The file name of the protocol document this provider was built from (cited in its README).</summary>
    public required string SeedDocument { get; init; }
    /// <summary>The named endpoints (<c>-Environment</c>, <c>--environment</c>); the first is the default.</summary>
    public required IReadOnlyList<ProviderEndpoint> Endpoints { get; init; }
    /// <summary>Auth modes accepted by <c>-AuthMode</c>/<c>--auth</c>, lower case; the first is the default.</summary>
    /// <remarks>Strings, not an enum: each provider has its own set, named after its document (token|key for one,
    /// bearer|key|token for another, header for a third), and only that provider's protocol reads the value
    /// (<see cref="ConnectContext.AuthMode"/>). A shared enum would be the union of every provider's words, most of
    /// them invalid for any one provider, and a new provider's mode would need an edit outside its folder.</remarks>
    public required IReadOnlyList<string> AuthModes { get; init; }
    /// <summary>Environment variable read when no key is given.</summary>
    public required string ApiKeyVariable { get; init; }
    /// <summary>Sample rates in Hz the provider accepts; the first is the default.</summary>
    public required IReadOnlyList<int> SampleRates { get; init; }
    /// <summary>Documented languages (may be empty: not documented), offered by tab completion.</summary>
    public required IReadOnlyList<string> Languages { get; init; }
    /// <summary>Further spellings the provider accepts (aliases such as <c>fr-FR</c>), not offered by completion.</summary>
    public IReadOnlyList<string> LanguageAliases { get; init; } = Array.Empty<string>();
    /// <summary>True when <see cref="Languages"/> and <see cref="LanguageAliases"/> are every language the provider
    /// accepts: another is refused before connecting, with the nearest (<see cref="ValueCheck.Language"/>). False: the
    /// provider takes languages beyond its documents' list; another is sent, with a Verbose note. Why, per provider, is in
    /// its README.</summary>
    public bool LanguagesClosed { get; init; }
    /// <summary>The language sent when none is given; null: the provider picks (none is sent).</summary>
    public string? DefaultLanguage { get; init; }
    /// <summary>The provider-specific options (<c>-ProviderOption</c>, <c>--option</c>) it takes.</summary>
    public IReadOnlyList<ProviderOption> Options { get; init; } = Array.Empty<ProviderOption>();
    /// <summary>What the provider can return (partials, word times, diarization, …).</summary>
    public ProviderCapabilities Capabilities { get; init; }
    /// <summary>Time unit on the wire (seconds, milliseconds, or none when the provider sends no times); the engine
    /// always gives seconds.</summary>
    public required WireTimeUnit WireTimeUnit { get; init; }
    /// <summary>The typed common parameters this provider maps to its own protocol.</summary>
    public CommonParameters Parameters { get; init; }
    /// <summary>Model ids the provider's documents name (examples, not a closed list).</summary>
    public IReadOnlyList<string> Models { get; init; } = Array.Empty<string>();
    /// <summary>True when a connection needs a model (Speechall, seed 004_…).</summary>
    public bool RequiresModel { get; init; }
    /// <summary>Chunk duration the provider's document recommends, in milliseconds (default 100).</summary>
    public int ChunkMilliseconds { get; init; } = 100;
    /// <summary>
    /// Largest chunk the provider's document allows, in milliseconds; used when the upload is not paced
    /// (<c>--speed max</c>), where fewer, larger frames cost less CPU and pacing does not matter. Null: the
    /// document gives no range, and <see cref="ChunkMilliseconds"/> is used at every speed.
    /// </summary>
    public int? MaxChunkMilliseconds { get; init; }

    /// <summary>The chunk duration to send at <paramref name="speed"/> (0 = unpaced), in milliseconds.</summary>
    public int ChunkMillisecondsAt(double speed) => speed == 0 && MaxChunkMilliseconds is int max ? max : ChunkMilliseconds;
    /// <summary>How audio travels: "binary PCM s16le" or "base64 PCM s16le in JSON text frames".</summary>
    public string AudioFraming { get; init; } = "binary PCM s16le";
    /// <summary>What ends the stream and what marks completion, in words, for Get-AsrProvider.</summary>
    public string EndOfStream { get; init; } = "";

    /// <summary>The sample rate in Hz used when none is given: the first of <see cref="SampleRates"/>.</summary>
    public int DefaultSampleRate => SampleRates[0];
    /// <summary>The auth mode used when none is given: the first of <see cref="AuthModes"/>.</summary>
    public string DefaultAuthMode => AuthModes[0];

    /// <summary>The endpoint used when no environment is given: the first of <see cref="Endpoints"/>.</summary>
    public ProviderEndpoint DefaultEndpoint => Endpoints[0];

    /// <summary>The provider's name, as PowerShell shows the object in a list.</summary>
    public override string ToString() => Name;

    /// <summary>Finds an environment by name, case-insensitively.</summary>
    /// <exception cref="AsrException">InvalidInput listing the known environments.</exception>
    public ProviderEndpoint GetEndpoint(string? environment)
    {
        if (string.IsNullOrEmpty(environment)) return DefaultEndpoint;
        return Endpoints.FirstOrDefault(e => e.Environment.Equals(environment, StringComparison.OrdinalIgnoreCase))
            ?? throw new AsrException(AsrErrorKind.InvalidInput, "EnvironmentUnknown",
                $"{Name} has no environment '{environment}'. Expected one of: {string.Join(", ", Endpoints.Select(e => e.Environment))}.");
    }
}
