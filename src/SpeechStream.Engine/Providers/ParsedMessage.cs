namespace SpeechStream.Engine.Providers;

/// <summary>What one server frame meant.</summary>
public sealed class ParsedMessage
{
    /// <summary>A frame that carries nothing for the session (unknown, malformed, or bookkeeping); shared, never modified.</summary>
    public static readonly ParsedMessage Ignored = new();
    /// <summary>The results the frame carried, in order (empty for a control frame).</summary>
    public List<ProviderResult> Results { get; } = new();
    /// <summary>The provider signalled completion: every result for the audio sent is in (a marker frame).</summary>
    public bool Complete { get; init; }
    /// <summary>The provider reported an error in a frame.</summary>
    public AsrException? Error { get; init; }

    /// <summary>A frame carrying one result, and completion when <paramref name="complete"/>.</summary>
    public static ParsedMessage Of(ProviderResult result, bool complete = false)
    {
        var m = new ParsedMessage { Complete = complete };
        m.Results.Add(result);
        return m;
    }

    /// <summary>A frame that reported <paramref name="error"/>.</summary>
    public static ParsedMessage Failed(AsrException error) => new() { Error = error };
}
