using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace SpeechStream.PowerShell;

/// <summary>Completes <c>-EmulatorProfile</c> with the emulator's profiles that apply to the provider(s) typed.</summary>
public sealed class EmulatorProfileCompleter : IArgumentCompleter
{
    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var providers = Completion.BoundProviders(commandName, fakeBoundParameters)?.ToList();
        var profiles = Emulator.EmulatorProfiles.All.Where(p => providers is null || providers.All(p.AppliesTo));
        return profiles.Where(p => p.Name.StartsWith((wordToComplete ?? "").Trim('\'', '"'), StringComparison.OrdinalIgnoreCase))
            .Select(p => new CompletionResult(p.Name, p.Name, CompletionResultType.ParameterValue, p.Description));
    }
}
