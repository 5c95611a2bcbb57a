using SpeechStream.Engine.Providers;

namespace SpeechStream.PowerShell;

/// <summary>Completes <c>-Model</c> with the model ids the documents of the provider(s) typed name.</summary>
public sealed class ModelCompleter : ProviderValuesCompleter
{
    /// <inheritdoc/>
    protected override IEnumerable<string> ValuesFor(IEnumerable<string>? providers) => ProviderRegistry.ModelsFor(providers);
}
