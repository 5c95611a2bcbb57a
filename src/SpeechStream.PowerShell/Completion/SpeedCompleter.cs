using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace SpeechStream.PowerShell;

/// <summary>Completes <c>-Speed</c> of the file cmdlets: real time, a few multiples, and max.</summary>
public sealed class SpeedCompleter : IArgumentCompleter
{
    private static readonly string[] Speeds = { "1", "2", "4", "8", "max" };

    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completion.Matching(Speeds, wordToComplete, "1 = real time; 2, 4, 8 … times faster; max = unpaced");
}
