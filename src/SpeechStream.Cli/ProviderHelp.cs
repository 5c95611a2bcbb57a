using SpeechStream.Engine.Providers;

namespace SpeechStream.Cli;

/// <summary>The parts of option descriptions that name providers, built from <see cref="ProviderRegistry"/> when the
/// command line is built, so that a new provider appears in <c>--help</c> without an edit here.</summary>
internal static class ProviderHelp
{
    /// <summary>The providers that map <paramref name="parameter"/>, joined by commas: <c>Smallest, VoxNexus</c>.</summary>
    public static string Taking(CommonParameters parameter) =>
        string.Join(", ", ProviderRegistry.All.Where(p => p.Descriptor.Parameters.HasFlag(parameter)).Select(p => p.Name));

    /// <summary>--model: the providers that take one, those that need one first with an example.</summary>
    public static string Model()
    {
        var takers = ProviderRegistry.All.Select(p => p.Descriptor).Where(d => d.Parameters.HasFlag(CommonParameters.Model))
            .OrderByDescending(d => d.RequiresModel)
            .Select(d => d.RequiresModel ? $"{d.Name}: required{(d.Models.Count > 0 ? ", e.g. " + d.Models[0] : "")}" : d.Name);
        return $"Model id ({string.Join("; ", takers)}; each provider's models: 'speechstream providers').";
    }

    /// <summary>--auth: each provider that has a choice, with its modes, the default first:
    /// <c>voxist: token|key; smallest: bearer|token</c>.</summary>
    public static string AuthModes() =>
        "Auth mode (" + string.Join("; ", ProviderRegistry.All.Select(p => p.Descriptor).Where(d => d.AuthModes.Count > 1)
            .Select(d => $"{d.Name.ToLowerInvariant()}: {string.Join("|", d.AuthModes)}")) + ").";
}
