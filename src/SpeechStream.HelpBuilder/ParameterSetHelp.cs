namespace SpeechStream.HelpBuilder;

/// <summary>A parameter set's syntax line: which parameters, whether each is required, and its position.</summary>
internal sealed record ParameterSetHelp(string Name, bool IsDefault, IReadOnlyList<SyntaxParameter> Parameters);
