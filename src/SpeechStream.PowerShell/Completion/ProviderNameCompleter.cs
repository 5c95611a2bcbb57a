using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using SpeechStream.Engine.Providers;

namespace SpeechStream.PowerShell;

/// <summary>Completes <c>-Provider</c> with the provider names.</summary>
public sealed class ProviderNameCompleter : IArgumentCompleter
{
    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) => Completion.Matching(ProviderRegistry.Names, wordToComplete);
}
