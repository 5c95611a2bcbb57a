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

    /// <summary>Every provider, in a stable order.</summary>
    public static IReadOnlyList<ProviderProtocol> All => Protocols;

    public static IEnumerable<string> Names => Protocols.Select(p => p.Name);

    /// <summary>Finds a provider by name, case-insensitively.</summary>
    /// <exception cref="AsrException">InvalidInput listing the known providers.</exception>
    public static ProviderProtocol Get(string name) =>
        Protocols.FirstOrDefault(p => p.Name.Equals(name?.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new AsrException(AsrErrorKind.InvalidInput, "ProviderUnknown",
            $"Unknown provider '{name}'. Expected one of: {string.Join(", ", Names)}.");
}
