using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace SpeechStream.PowerShell;

/// <summary>Completes a parameter with values that depend on the provider(s) typed (<see cref="Completion.BoundProviders"/>).</summary>
public abstract class ProviderValuesCompleter : IArgumentCompleter
{
    /// <summary>The values for these providers (null: every provider).</summary>
    protected abstract IEnumerable<string> ValuesFor(IEnumerable<string>? providers);

    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completion.Matching(ValuesFor(Completion.BoundProviders(commandName, fakeBoundParameters)), wordToComplete);
}
