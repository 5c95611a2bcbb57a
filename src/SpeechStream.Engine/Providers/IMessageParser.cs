namespace SpeechStream.Engine.Providers;

/// <summary>Turns server frames into results. One instance per connection, so it may keep state.</summary>
public interface IMessageParser
{
    /// <summary>Parses a text frame. Unknown or malformed frames return <see cref="ParsedMessage.Ignored"/>
    /// (the session logs them at Debug); they never throw.</summary>
    ParsedMessage ParseText(string text);

    /// <summary>Parses a text frame as it came off the socket, in UTF-8 (the session's path: JSON parsers read the bytes
    /// without making a string). Default: decode and <see cref="ParseText"/>. The memory is valid during the call only.</summary>
    ParsedMessage ParseUtf8(ReadOnlyMemory<byte> utf8) => ParseText(System.Text.Encoding.UTF8.GetString(utf8.Span));

    /// <summary>Called once when the connection completed: results the parser still holds and the protocol commits
    /// at the end (iApp's current sentence, when text arrives after the completion marker). Default: none.</summary>
    IReadOnlyList<ProviderResult> Finish() => Array.Empty<ProviderResult>();

    /// <summary>Why the transcript may not be whole although the provider completed: the frames read contrary to the
    /// reading the options chose (iApp text that looks incremental while read as cumulative). The session's verdict is
    /// then incomplete, with this reason. Default: none.</summary>
    string? Doubt => null;
}
