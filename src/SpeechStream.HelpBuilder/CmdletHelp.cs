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

/// <summary>A parameter: its description (the property's summary) and how it binds.</summary>
/// <param name="TypeName">The .NET type's full name, nullable unwrapped (System.String[]).</param>
/// <param name="ShortTypeName">As Get-Help shows it in the syntax (String[]).</param>
/// <param name="Pipeline">"true (ByValue)", "true (ByPropertyName)", "true (ByValue, ByPropertyName)" or "false".</param>
/// <param name="ValidValues">The values a ValidateSet or an enum type allows.</param>
/// <param name="DefaultValue">What Get-Help shows as "Default value": the [PSDefaultValue] Help or Value, else the
/// property's initial value in a new cmdlet; null when it has none.</param>
internal sealed record ParameterHelp(
    string Name,
    string TypeName,
    string ShortTypeName,
    bool IsSwitch,
    IReadOnlyList<string> Description,
    IReadOnlyList<string> Aliases,
    IReadOnlyList<string> ValidValues,
    string Pipeline,
    bool Globbing,
    string? DefaultValue = null);

/// <summary>A parameter set's syntax line: which parameters, whether each is required, and its position.</summary>
internal sealed record ParameterSetHelp(string Name, bool IsDefault, IReadOnlyList<SyntaxParameter> Parameters);

/// <summary>A parameter in a syntax line; <paramref name="Position"/> null when named.</summary>
internal sealed record SyntaxParameter(ParameterHelp Parameter, bool Required, int? Position);

/// <summary>An example: the code, then the paragraphs that explain it.</summary>
internal sealed record ExampleHelp(string Code, IReadOnlyList<string> Remarks);
