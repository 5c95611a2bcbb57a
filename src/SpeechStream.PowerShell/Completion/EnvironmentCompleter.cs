using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using SpeechStream.Engine.Providers;
using SpeechStream.Engine.Providers.VoxNexus;

namespace SpeechStream.PowerShell;

/// <summary>Completes <c>-Environment</c> with the named endpoints of the provider(s) typed.</summary>
public sealed class EnvironmentCompleter : ProviderValuesCompleter
{
    /// <inheritdoc/>
    protected override IEnumerable<string> ValuesFor(IEnumerable<string>? providers) => ProviderRegistry.EnvironmentsFor(providers);
}
