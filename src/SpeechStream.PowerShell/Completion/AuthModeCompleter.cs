using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using SpeechStream.Engine.Providers;
using SpeechStream.Engine.Providers.VoxNexus;

namespace SpeechStream.PowerShell;

/// <summary>Completes <c>-AuthMode</c> with the auth modes of the provider(s) typed (VoxNexus for ConvertTo-Speech).</summary>
public sealed class AuthModeCompleter : ProviderValuesCompleter
{
    /// <inheritdoc/>
    protected override IEnumerable<string> ValuesFor(IEnumerable<string>? providers) => ProviderRegistry.AuthModesFor(providers);
}
