namespace SpeechStream.Engine.Providers;

/// <summary>The providers SpeechStream speaks: every list of providers (help, completion, <c>speechstream providers</c>,
/// Get-AsrProvider, the tests) reads it. Adding one is a folder plus one line here (Providers/README.md, "Adding a
/// provider").</summary>
public static class ProviderRegistry
{
    private static readonly NamedRegistry<ProviderProtocol> Registry = new(new ProviderProtocol[]
    {
        new Voxist.VoxistProtocol(),
        new IApp.IAppProtocol(),
        new Smallest.SmallestProtocol(),
        new VoxNexus.VoxNexusProtocol(),
        new Speechall.SpeechallProtocol(),
    }, p => p.Name, name => $"A provider named '{name}' is registered already.");

    private static IReadOnlyList<ProviderProtocol> Protocols => Registry.All;

    /// <summary>Adds <paramref name="protocol"/> after the built-in providers until the returned handle is disposed
    /// (a provider defined outside the engine, such as the stub provider of the tests).</summary>
    /// <exception cref="ArgumentException">A provider of that name is registered already.</exception>
    internal static IDisposable Register(ProviderProtocol protocol) => Registry.Register(protocol);

    /// <summary>The provider used when none is named (<c>-Provider</c>, <c>--provider</c>): Voxist, the first provider
    /// SpeechStream spoke.</summary>
    public const string DefaultProvider = "Voxist";

    /// <summary>Every provider, in a stable order.</summary>
    public static IReadOnlyList<ProviderProtocol> All => Protocols;

    /// <summary>The providers' names, in the order of <see cref="All"/>.</summary>
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
    public static ProviderProtocol? Find(string? name) => Registry.Find(name);

    /// <summary>Finds a provider by name, case-insensitively.</summary>
    /// <exception cref="AsrException">InvalidInput listing the known providers.</exception>
    public static ProviderProtocol Get(string name) =>
        Registry.Find(name) ?? throw new AsrException(AsrErrorKind.InvalidInput, "ProviderUnknown",
            $"Unknown provider '{name}'. Expected one of: {string.Join(", ", Names)}.");
}
