namespace SpeechStream.HelpBuilder;

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
