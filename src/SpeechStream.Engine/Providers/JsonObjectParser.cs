using System.Text.Json;

namespace SpeechStream.Engine.Providers;

/// <summary>
/// A parser for providers whose frames are JSON objects: reads the frame (from UTF-8 without a string on the session's
/// path) and hands the root object to <see cref="Read"/>; anything else is <see cref="ParsedMessage.Ignored"/>.
/// </summary>
public abstract class JsonObjectParser : IMessageParser
{
    /// <inheritdoc/>
    public ParsedMessage ParseText(string text)
    {
        using var doc = ProviderProtocol.TryParseJson(text);
        if (doc is null) return ReadOther(text);
        return doc.RootElement.ValueKind == JsonValueKind.Object ? Read(doc.RootElement) : ParsedMessage.Ignored;
    }

    /// <inheritdoc/>
    public ParsedMessage ParseUtf8(ReadOnlyMemory<byte> utf8)
    {
        using var doc = ProviderProtocol.TryParseJson(utf8);
        if (doc is null) return ReadOther(System.Text.Encoding.UTF8.GetString(utf8.Span));
        return doc.RootElement.ValueKind == JsonValueKind.Object ? Read(doc.RootElement) : ParsedMessage.Ignored;
    }

    /// <summary>Reads one frame's root object. The element is valid during the call only.</summary>
    protected abstract ParsedMessage Read(JsonElement root);

    /// <summary>Reads a text frame that is not JSON (Voxist's bare <c>Done!</c>). Default: ignored.</summary>
    protected virtual ParsedMessage ReadOther(string text) => ParsedMessage.Ignored;

    /// <inheritdoc/>
    public virtual IReadOnlyList<ProviderResult> Finish() => Array.Empty<ProviderResult>();

    /// <inheritdoc/>
    public virtual string? Doubt => null;
}
