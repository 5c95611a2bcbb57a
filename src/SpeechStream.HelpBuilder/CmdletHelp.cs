namespace SpeechStream.HelpBuilder;

/// <summary>One cmdlet's help, as its XML doc comments and parameter attributes give it.</summary>
internal sealed record CmdletHelp(
    string Verb,
    string Noun,
    string Synopsis,
    IReadOnlyList<string> Description,
    IReadOnlyList<string> Notes,
    IReadOnlyList<ParameterHelp> Parameters,
    IReadOnlyList<ParameterSetHelp> ParameterSets,
    IReadOnlyList<ExampleHelp> Examples,
    IReadOnlyList<string> InputTypes,
    IReadOnlyList<string> OutputTypes,
    string? HelpUri = null)
{
    public string Name => $"{Verb}-{Noun}";
}
