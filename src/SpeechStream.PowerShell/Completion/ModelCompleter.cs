using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using SpeechStream.Engine.Providers;
using SpeechStream.Engine.Providers.VoxNexus;

namespace SpeechStream.PowerShell;

/// <summary>Completes <c>-Model</c> with the model ids the documents of the provider(s) typed name.</summary>
public sealed class ModelCompleter : ProviderValuesCompleter
{
    /// <inheritdoc/>
    protected override IEnumerable<string> ValuesFor(IEnumerable<string>? providers) => ProviderRegistry.ModelsFor(providers);
}
