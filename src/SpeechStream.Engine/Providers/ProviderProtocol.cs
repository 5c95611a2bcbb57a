using System.Text.Json;
using Microsoft.Extensions.Logging;
using SpeechStream.Engine.Diagnostics;
using SpeechStream.Engine.Sessions;
using SpeechStream.Engine.Transcripts;

namespace SpeechStream.Engine.Providers;

/// <summary>The WebSocket request to open: the URL with its credentials, extra headers, and what may be shown.</summary>
public sealed class ConnectRequest
{
    public required Uri Uri { get; init; }
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>The URI with every secret masked, for logs and errors.</summary>
    public string DisplayUri => SecretRedactor.Redact(Uri);
    /// <summary>When the credential in the request expires (Voxist's 1-hour token); the session renews the connection
    /// before then. Null: no expiry.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
    /// <summary>When the credential was issued (for the renewal margin).</summary>
    public DateTimeOffset IssuedAt { get; init; } = DateTimeOffset.UtcNow;
}

/// <summary>One frame to send.</summary>
public readonly record struct OutgoingFrame(bool IsText, ReadOnlyMemory<byte> Payload)
{
    public static OutgoingFrame Text(string text) => new(true, System.Text.Encoding.UTF8.GetBytes(text));
    public static OutgoingFrame Binary(ReadOnlyMemory<byte> data) => new(false, data);
}

/// <summary>A result as a provider reported it, with times in seconds from the start of this connection's audio (the
/// session adds the connection's offset into the file).</summary>
/// <param name="SegmentKey">The provider's own segment number or id; null when the provider does not number its
/// segments (then each final is its own segment, and partials belong to the segment the next final closes).</param>
/// <param name="Start">Seconds from the start of the connection's audio; null when the provider sends no time.</param>
public sealed record ProviderResult(string? SegmentKey, bool IsFinal, string Text, double? Start, double? End,
    IReadOnlyList<TranscriptWord> Words, double? Confidence = null, string? Language = null, string? Speaker = null);

/// <summary>What one server frame meant.</summary>
public sealed class ParsedMessage
{
    public static readonly ParsedMessage Ignored = new();
    public List<ProviderResult> Results { get; } = new();
    /// <summary>The provider signalled completion: every result for the audio sent is in (a marker frame).</summary>
    public bool Complete { get; init; }
    /// <summary>The provider reported an error in a frame.</summary>
    public AsrException? Error { get; init; }

    public static ParsedMessage Of(ProviderResult result, bool complete = false)
    {
        var m = new ParsedMessage { Complete = complete };
        m.Results.Add(result);
        return m;
    }

    public static ParsedMessage Failed(AsrException error) => new() { Error = error };
}

/// <summary>What a parser may know about its connection besides the frames.</summary>
public sealed class ParserContext
{
    public required SessionOptions Options { get; init; }
    /// <summary>Resolved language (the provider's default when none was given).</summary>
    public required string Language { get; init; }
}

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

/// <summary>
/// A parser for providers whose frames are JSON objects: reads the frame (from UTF-8 without a string on the session's
/// path) and hands the root object to <see cref="Read"/>; anything else is <see cref="ParsedMessage.Ignored"/>.
/// </summary>
public abstract class JsonObjectParser : IMessageParser
{
    public ParsedMessage ParseText(string text)
    {
        using var doc = ProviderProtocol.TryParseJson(text);
        if (doc is null) return ReadOther(text);
        return doc.RootElement.ValueKind == JsonValueKind.Object ? Read(doc.RootElement) : ParsedMessage.Ignored;
    }

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

    public virtual IReadOnlyList<ProviderResult> Finish() => Array.Empty<ProviderResult>();

    public virtual string? Doubt => null;
}

/// <summary>How a provider says it has sent every result (each provider's README names its rule).</summary>
public enum CompletionMode
{
    /// <summary>The server closes the socket (1000) after the end of stream; a close that leaves voiced audio or
    /// partial results without a final does not count.</summary>
    ServerClose,
    /// <summary>Either a message marks completion (then the grace, as <see cref="Message"/>) or the server closes as
    /// <see cref="ServerClose"/> (Voxist: the newer engine answers <c>Done</c> with <c>Done!</c> and holds the socket
    /// open; the older one closes).</summary>
    MessageOrServerClose,
    /// <summary>A message marks completion (iApp, Smallest, VoxNexus); the session reads on for a short grace.</summary>
    Message,
    /// <summary>Nothing marks it: wait until the server has been quiet for a window and the results cover the
    /// audio (Speechall).</summary>
    Quiet,
}

/// <summary>What one connection's context gives a protocol adapter while preparing it.</summary>
public sealed class ConnectContext
{
    public required SessionOptions Options { get; init; }
    public required Secret ApiKey { get; init; }
    public required string AuthMode { get; init; }
    public required Uri Endpoint { get; init; }
    public required HttpClient Http { get; init; }
    public required ILogger Logger { get; init; }
    /// <summary>Resolved language (the provider's default when none was given; may be empty).</summary>
    public string Language { get; init; } = "";
    /// <summary>Resolved sample rate in Hz of the PCM s16le sent.</summary>
    public int SampleRate { get; init; } = 16000;
    /// <summary>The provider option <paramref name="name"/>, or its descriptor default.</summary>
    public string? Option(ProviderDescriptor d, string name) => Options.ProviderOptions.Get(d, name);
}

/// <summary>
/// A provider's protocol adapter: the connect request (with any token exchange), an optional handshake, audio
/// framing, end of stream, message parsing, and the per-connection hooks the session asks about (how a close is
/// read, how completion is signalled, whether results carry times, when a credential needs renewing). A quirk of
/// one provider is an override here, in its own folder; the session has no provider branches. Adding a provider
/// means a folder with a descriptor, one of these and a README of its protocol, and a line in
/// <see cref="ProviderRegistry"/>.
/// </summary>
public abstract class ProviderProtocol
{
    public abstract ProviderDescriptor Descriptor { get; }

    public string Name => Descriptor.Name;

    /// <summary>Builds the WebSocket request. May call the provider over HTTP (token exchange).</summary>
    /// <exception cref="AsrException">Authentication for a refused key; transient Connection for 5xx/429/refused.</exception>
    public abstract Task<ConnectRequest> PrepareConnectAsync(ConnectContext context, CancellationToken cancellationToken);

    /// <summary>Runs after the upgrade and before any audio (e.g. an init/ready exchange). Default: nothing.</summary>
    /// <exception cref="AsrException">The provider refused the configuration or did not answer in time.</exception>
    public virtual Task HandshakeAsync(ProtocolSocket socket, ConnectContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Frames one chunk of PCM s16le. Default: a binary frame.</summary>
    public virtual OutgoingFrame EncodeAudio(ReadOnlyMemory<byte> pcm) => OutgoingFrame.Binary(pcm);

    /// <summary>The frames that say "no more audio", sent through the audio queue so they never overtake it.</summary>
    public abstract IReadOnlyList<OutgoingFrame> EndOfStream(ConnectContext context);

    public abstract CompletionMode Completion { get; }

    /// <summary>For <see cref="CompletionMode.Quiet"/>: how long the server must be silent after the end of stream,
    /// beyond the audio its results have not covered yet, before the session counts as complete.</summary>
    public virtual TimeSpan QuietWindow(SessionOptions options) => TimeSpan.FromSeconds(3);

    /// <summary>True when the provider's results carry times. False (iApp): the session estimates times from the
    /// audio sent, marks them <c>TimesEstimated</c>, and removes repeats after a replay by text, not by time.</summary>
    public virtual bool SendsTimes => Descriptor.WireTimeUnit != "none";

    public abstract IMessageParser CreateParser(ParserContext context);

    /// <summary>How a close from the server is read: the engine's one table (<see cref="CloseCodes"/>), unless the
    /// provider's document says otherwise for a code (<see cref="OverrideClose"/>).</summary>
    public CloseVerdict ClassifyClose(int code, string? reason, bool endOfStreamSent) =>
        OverrideClose(code, reason, endOfStreamSent) ?? CloseCodes.Classify(Name, code, reason, endOfStreamSent);

    /// <summary>A provider's own reading of a close code, where its document says so (naming the document); null
    /// keeps the engine's table.</summary>
    protected virtual CloseVerdict? OverrideClose(int code, string? reason, bool endOfStreamSent) => null;

    /// <summary>When to renew a connection whose credential expires (default: 300 s before, or a tenth of the
    /// lifetime when that is shorter). Null: never.</summary>
    public virtual DateTimeOffset? RenewAt(ConnectRequest request) => Connector.RenewalTime(request);

    /// <summary>Appends <c>name=value</c> (escaped) to a query list.</summary>
    protected static void AddQuery(List<string> query, string name, string? value)
    {
        if (value is not null) query.Add(name + "=" + Uri.EscapeDataString(value));
    }

    /// <summary>The endpoint with <paramref name="query"/> appended to whatever query it already has.</summary>
    protected static Uri WithQuery(Uri endpoint, IEnumerable<string> query)
    {
        string q = string.Join("&", query);
        if (q.Length == 0) return endpoint;
        string s = endpoint.ToString();
        return new Uri(s + (endpoint.Query.Length > 1 ? "&" : "?") + q);
    }

    /// <summary>"true"/"false" as providers spell booleans in a query.</summary>
    protected static string Bool(bool value) => value ? "true" : "false";

    /// <summary>Reads a JSON document from UTF-8 bytes, or null when they are not JSON. The document refers to the
    /// bytes: dispose it before they change.</summary>
    public static JsonDocument? TryParseJson(ReadOnlyMemory<byte> utf8)
    {
        var t = utf8.Span;
        int i = 0;
        while (i < t.Length && t[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') i++;
        if (i == t.Length || (t[i] != '{' && t[i] != '[')) return null;
        try { return JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = 64 }); }
        catch (JsonException) { return null; }
    }

    /// <summary>Reads a JSON document, or null when the text is not JSON.</summary>
    public static JsonDocument? TryParseJson(string text)
    {
        var t = text.AsSpan().TrimStart();
        if (t.Length == 0 || (t[0] != '{' && t[0] != '[')) return null;
        try { return JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 64 }); }
        catch (JsonException) { return null; }
    }
}
