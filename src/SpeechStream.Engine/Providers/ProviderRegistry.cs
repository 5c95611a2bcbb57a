namespace SpeechStream.Engine.Providers;

/// <summary>The providers SpeechStream speaks. Adding one is a folder plus one line here.</summary>
public static class ProviderRegistry
{
    private static readonly ProviderProtocol[] Protocols =
    {
        new Voxist.VoxistProtocol(),
        new IApp.IAppProtocol(),
        new Smallest.SmallestProtocol(),
        new VoxNexus.VoxNexusProtocol(),
        new Speechall.SpeechallProtocol(),
    };

    /// <summary>The provider used when none is named (<c>-Provider</c>, <c>--provider</c>): Voxist, the first provider
    /// SpeechStream spoke.</summary>
    public const string DefaultProvider = "Voxist";

    /// <summary>Every provider, in a stable order.</summary>
    public static IReadOnlyList<ProviderProtocol> All => Protocols;

    public static IEnumerable<string> Names => Protocols.Select(p => p.Name);

    /// <summary>The languages of the named providers (every provider's when null), for tab completion; unknown names are skipped.</summary>
    public static IReadOnlyList<string> LanguagesFor(IEnumerable<string>? providers) =>
        Select(providers).SelectMany(p => p.Descriptor.Languages).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>The named endpoints (environments) of the named providers (every provider's when null).</summary>
    public static IReadOnlyList<string> EnvironmentsFor(IEnumerable<string>? providers) =>
        Select(providers).SelectMany(p => p.Descriptor.Endpoints.Select(e => e.Environment)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>The model ids the named providers' documents give (every provider's when null).</summary>
    public static IReadOnlyList<string> ModelsFor(IEnumerable<string>? providers) =>
        Select(providers).SelectMany(p => p.Descriptor.Models).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>The auth modes of the named providers (every provider's when null).</summary>
    public static IReadOnlyList<string> AuthModesFor(IEnumerable<string>? providers) =>
        Select(providers).SelectMany(p => p.Descriptor.AuthModes).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>The provider options (<c>-ProviderOption</c> keys) of the named providers (every provider's when null).</summary>
    public static IReadOnlyList<ProviderOption> OptionsFor(IEnumerable<string>? providers) =>
        Select(providers).SelectMany(p => p.Descriptor.Options).GroupBy(o => o.Name, StringComparer.OrdinalIgnoreCase).Select(g => g.First()).ToList();

    private static IEnumerable<ProviderProtocol> Select(IEnumerable<string>? names) =>
        names is null ? Protocols : Protocols.Where(p => names.Any(n => p.Name.Equals(n?.Trim(), StringComparison.OrdinalIgnoreCase)));

    /// <summary>Finds a provider by name, case-insensitively, or null when there is none.</summary>
    public static ProviderProtocol? Find(string? name) =>
        Protocols.FirstOrDefault(p => p.Name.Equals(name?.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>Finds a provider by name, case-insensitively.</summary>
    /// <exception cref="AsrException">InvalidInput listing the known providers.</exception>
    public static ProviderProtocol Get(string name) =>
        Protocols.FirstOrDefault(p => p.Name.Equals(name?.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new AsrException(AsrErrorKind.InvalidInput, "ProviderUnknown",
            $"Unknown provider '{name}'. Expected one of: {string.Join(", ", Names)}.");
}
