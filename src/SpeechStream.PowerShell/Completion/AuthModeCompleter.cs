using SpeechStream.Engine.Providers;

namespace SpeechStream.PowerShell;

/// <summary>Completes <c>-AuthMode</c> with the auth modes of the provider(s) typed (VoxNexus for ConvertTo-Speech).</summary>
public sealed class AuthModeCompleter : ProviderValuesCompleter
{
    /// <inheritdoc/>
    protected override IEnumerable<string> ValuesFor(IEnumerable<string>? providers) => ProviderRegistry.AuthModesFor(providers);
}
