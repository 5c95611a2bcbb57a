using System.Text.Json;
using SpeechStream.Engine.Sessions;

namespace SpeechStream.Engine.Providers;

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
    /// <summary>Everything known about the provider without connecting; the same instance on every call.</summary>
    public abstract ProviderDescriptor Descriptor { get; }

    /// <summary>The provider's name, <see cref="ProviderDescriptor.Name"/>.</summary>
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

    /// <summary>How the provider says every result is in (its README names the rule).</summary>
    public abstract CompletionMode Completion { get; }

    /// <summary>For <see cref="CompletionMode.Quiet"/>: how long the server must be silent after the end of stream,
    /// beyond the audio its results have not covered yet, before the session counts as complete.</summary>
    public virtual TimeSpan QuietWindow(SessionOptions options) => TimeSpan.FromSeconds(3);

    /// <summary>True when the provider's results carry times. False (iApp): the session estimates times from the
    /// audio sent, marks them <c>TimesEstimated</c>, and removes repeats after a replay by text, not by time.</summary>
    public virtual bool SendsTimes => Descriptor.WireTimeUnit != WireTimeUnit.None;

    /// <summary>A parser for one connection's frames (a new one per connection, so it may keep state).</summary>
    public abstract IMessageParser CreateParser(ParserContext context);

    /// <summary>How a close from the server is read: the engine's one table (<see cref="CloseCodes"/>), unless the
    /// provider's document says otherwise for a code (<see cref="OverrideClose"/>).</summary>
    public CloseVerdict ClassifyClose(int code, string? reason, bool endOfStreamSent) =>
        OverrideClose(code, reason, endOfStreamSent) ?? CloseCodes.Classify(Name, code, reason, endOfStreamSent);

    /// <summary>A provider's own reading of a close code, where its document says so (naming the document); null
    /// keeps the engine's table.</summary>
    protected virtual CloseVerdict? OverrideClose(int code, string? reason, bool endOfStreamSent) => null;

    /// <summary>A sentence appended to the message of a refused key (HTTP 401/403), starting with a space, for a cause
    /// particular to this provider (Voxist: staging and production keys differ). Default: none.</summary>
    public virtual string AuthenticationHint => "";

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
