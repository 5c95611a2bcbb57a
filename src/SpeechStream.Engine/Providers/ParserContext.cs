using SpeechStream.Engine.Sessions;

namespace SpeechStream.Engine.Providers;

/// <summary>What a parser may know about its connection besides the frames.</summary>
public sealed class ParserContext
{
    /// <summary>The session's options, as the user gave them.</summary>
    public required SessionOptions Options { get; init; }
    /// <summary>Resolved language (the provider's default when none was given).</summary>
    public required string Language { get; init; }
}
