using SpeechStream.Engine.Providers;

namespace SpeechStream.PowerShell;

/// <summary>Completes <c>-Environment</c> with the named endpoints of the provider(s) typed.</summary>
public sealed class EnvironmentCompleter : ProviderValuesCompleter
{
    /// <inheritdoc/>
    protected override IEnumerable<string> ValuesFor(IEnumerable<string>? providers) => ProviderRegistry.EnvironmentsFor(providers);
}
