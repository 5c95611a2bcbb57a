using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using SpeechStream.Engine.Providers;

namespace SpeechStream.PowerShell;

/// <summary>
/// Completes <c>-ProviderOption</c> as <c>key=value</c> strings (the parameter takes those as well as a hashtable):
/// the keys of the provider(s) typed, then, after <c>key=</c>, the values of an enum option. PowerShell does not hand
/// hashtable keys to argument completers, so <c>@{ … }</c> gets no completion.
/// </summary>
public sealed class ProviderOptionCompleter : IArgumentCompleter
{
    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var options = ProviderRegistry.OptionsFor(Completion.BoundProviders(commandName, fakeBoundParameters));
        string typed = (wordToComplete ?? "").Trim('\'', '"');
        int eq = typed.IndexOf('=');
        if (eq < 0)
            return options.Where(o => o.Name.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                .Select(o => new CompletionResult(o.Name + "=", o.Name, CompletionResultType.ParameterValue, o.Description));
        var option = options.FirstOrDefault(o => o.Name.Equals(typed[..eq], StringComparison.OrdinalIgnoreCase));
        var values = option?.Allowed ?? (option?.Kind == OptionKind.Bool ? new[] { "true", "false" } : Array.Empty<string>());
        return values.Where(v => v.StartsWith(typed[(eq + 1)..], StringComparison.OrdinalIgnoreCase))
            .Select(v => new CompletionResult($"{option!.Name}={v}", v, CompletionResultType.ParameterValue, option.Description));
    }
}
