using SpeechStream.Engine.Providers;

namespace SpeechStream.PowerShell;

/// <summary>Completes <c>-Language</c> with the languages of the provider(s) typed.</summary>
public sealed class LanguageCompleter : ProviderValuesCompleter
{
    /// <inheritdoc/>
    protected override IEnumerable<string> ValuesFor(IEnumerable<string>? providers) => ProviderRegistry.LanguagesFor(providers);
}
