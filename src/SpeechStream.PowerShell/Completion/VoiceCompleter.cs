using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using SpeechStream.Engine.Providers.VoxNexus;

namespace SpeechStream.PowerShell;

/// <summary>Completes <c>-Voice</c> of ConvertTo-Speech with the voices the VoxNexus document names.</summary>
public sealed class VoiceCompleter : IArgumentCompleter
{
    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) => Completion.Matching(VoxNexusSpeechSynthesizer.DocumentedVoices, wordToComplete);
}
