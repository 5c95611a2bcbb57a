namespace SpeechStream.HelpBuilder;

/// <summary>A parameter in a syntax line; <paramref name="Position"/> null when named.</summary>
internal sealed record SyntaxParameter(ParameterHelp Parameter, bool Required, int? Position);
