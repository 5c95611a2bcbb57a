namespace SpeechStream.HelpBuilder;

/// <summary>An example: the code, then the paragraphs that explain it.</summary>
internal sealed record ExampleHelp(string Code, IReadOnlyList<string> Remarks);
