using System.Text.Json;
using Microsoft.Extensions.Logging;
using SpeechStream.Engine.Diagnostics;
using SpeechStream.Engine.Sessions;
using SpeechStream.Engine.Transcripts;

namespace SpeechStream.Engine.Providers;

/// <summary>A named endpoint of a provider (production, staging, …).</summary>
public sealed record ProviderEndpoint(string Environment, Uri Url);

/// <summary>A provider-specific option (<c>-ProviderOption @{name=value}</c>, <c>--option name=value</c>).</summary>
/// <param name="Name">Key as the user types it.</param>
/// <param name="Kind">string, bool, int, number, or enum (see <paramref name="Allowed"/>).</param>
/// <param name="Description">What it does, with its source document.</param>
/// <param name="Default">Value used when not given, if any.</param>
/// <param name="Allowed">Accepted values for an enum option.</param>
public sealed record ProviderOption(string Name, string Kind, string Description, string? Default = null,
    IReadOnlyList<string>? Allowed = null);

/// <summary>What a provider can do, for <c>Get-AsrProvider</c> and for validating requests.</summary>
[Flags]
public enum ProviderCapabilities
{
    None = 0,
    PartialResults = 1,
    WordStartTimes = 2,
    WordEndTimes = 4,
    Confidence = 8,
    Diarization = 16,
    LanguageDetection = 32,
    CustomVocabulary = 64,
}

/// <summary>The typed parameters shared by two or more providers (<c>-Model</c>, <c>-WordTimestamps</c>,
/// <c>-Diarize</c>, <c>-Vocabulary</c>). A provider lists the ones it maps; giving another is an error.</summary>
[Flags]
public enum CommonParameters
{
    None = 0,
    /// <summary>Model id (Speechall <c>model</c>, VoxNexus <c>model_id</c>).</summary>
    Model = 1,
    /// <summary>Ask for word start/end times (Smallest <c>word_timestamps</c>, VoxNexus <c>enable_timestamps</c>).</summary>
    WordTimestamps = 2,
    /// <summary>Speaker diarization (Smallest <c>diarize</c>, Speechall <c>diarization</c>).</summary>
    Diarize = 4,
    /// <summary>Custom vocabulary / keywords (Smallest <c>keywords</c>, Speechall <c>custom_vocabulary</c>).</summary>
    Vocabulary = 8,
}

/// <summary>Everything known about a provider without connecting: endpoints, auth, rates, languages,
/// options, capabilities, and the seed document it was built from.</summary>
public sealed class ProviderDescriptor
{
    public required string Name { get; init; }
    public required string SeedDocument { get; init; }
    public required IReadOnlyList<ProviderEndpoint> Endpoints { get; init; }
    /// <summary>Auth modes accepted by <c>--auth</c>; the first is the default.</summary>
    public required IReadOnlyList<string> AuthModes { get; init; }
    /// <summary>Environment variable read when no key is given.</summary>
    public required string ApiKeyVariable { get; init; }
    /// <summary>Sample rates in Hz the provider accepts; the first is the default.</summary>
    public required IReadOnlyList<int> SampleRates { get; init; }
    /// <summary>Documented languages (may be empty: not documented).</summary>
    public required IReadOnlyList<string> Languages { get; init; }
    public string? DefaultLanguage { get; init; }
    public IReadOnlyList<ProviderOption> Options { get; init; } = Array.Empty<ProviderOption>();
    public ProviderCapabilities Capabilities { get; init; }
    /// <summary>Time unit on the wire: "seconds", "milliseconds" or "none"; the engine always gives seconds.</summary>
    public required string WireTimeUnit { get; init; }
    /// <summary>The typed common parameters this provider maps to its own protocol.</summary>
    public CommonParameters Parameters { get; init; }
    /// <summary>Model ids the provider's documents name (examples, not a closed list).</summary>
    public IReadOnlyList<string> Models { get; init; } = Array.Empty<string>();
    /// <summary>True when a connection needs a model (Speechall, seed 004_…).</summary>
    public bool RequiresModel { get; init; }
    /// <summary>Chunk duration the provider's document recommends, in milliseconds (default 100).</summary>
    public int ChunkMilliseconds { get; init; } = 100;
    /// <summary>How audio travels: "binary PCM s16le" or "base64 PCM s16le in JSON text frames".</summary>
    public string AudioFraming { get; init; } = "binary PCM s16le";
    /// <summary>What ends the stream and what marks completion, in words, for Get-AsrProvider.</summary>
    public string EndOfStream { get; init; } = "";

    public int DefaultSampleRate => SampleRates[0];
    public string DefaultAuthMode => AuthModes[0];

    public ProviderEndpoint DefaultEndpoint => Endpoints[0];

    /// <summary>The provider's name, as PowerShell shows the object in a list.</summary>
    public override string ToString() => Name;

    /// <summary>Finds an environment by name, case-insensitively.</summary>
    /// <exception cref="AsrException">InvalidInput listing the known environments.</exception>
    public ProviderEndpoint GetEndpoint(string? environment)
    {
        if (string.IsNullOrEmpty(environment)) return DefaultEndpoint;
        return Endpoints.FirstOrDefault(e => e.Environment.Equals(environment, StringComparison.OrdinalIgnoreCase))
            ?? throw new AsrException(AsrErrorKind.InvalidInput, "EnvironmentUnknown",
                $"{Name} has no environment '{environment}'. Expected one of: {string.Join(", ", Endpoints.Select(e => e.Environment))}.");
    }
}

/// <summary>The WebSocket request to open: the URL with its credentials, extra headers, and what may be shown.</summary>
public sealed class ConnectRequest
{
    public required Uri Uri { get; init; }
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>The URI with every secret masked, for logs and errors.</summary>
    public string DisplayUri => SecretRedactor.Redact(Uri);
    /// <summary>When the credential in the request expires (Voxist's 1-hour token); the session reconnects with a
    /// fresh one before then. Null: no expiry.</summary>
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

/// <summary>A result as a provider reported it, with times already in seconds from the start of this
/// connection's audio (the session adds the offset into the file).</summary>
/// <param name="TimesEstimated">True when the provider sent no times and <paramref name="Start"/>/<paramref name="End"/>
/// were estimated from the audio sent (iApp, seed 001_…).</param>
public sealed record ProviderResult(string SegmentKey, bool IsFinal, string Text, double? Start, double? End,
    IReadOnlyList<TranscriptWord> Words, double? Confidence = null, string? Language = null, string? Speaker = null,
    bool TimesEstimated = false);

/// <summary>What one server frame meant.</summary>
public sealed class ParsedMessage
{
    public static readonly ParsedMessage Ignored = new();
    public List<ProviderResult> Results { get; } = new();
    /// <summary>The provider signalled completion (all results for the audio sent are in).</summary>
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
    /// <summary>Seconds of audio sent on this connection so far (for providers that send no times).</summary>
    public Func<double> AudioSentSeconds { get; init; } = () => 0;
}

/// <summary>Turns server frames into results. One instance per connection, so it may keep state.</summary>
public interface IMessageParser
{
    /// <summary>Parses a text frame. Unknown or malformed frames return <see cref="ParsedMessage.Ignored"/>
    /// (the session logs them at Debug); they never throw.</summary>
    ParsedMessage ParseText(string text);
}

/// <summary>How a provider says it has sent every result.</summary>
public enum CompletionMode
{
    /// <summary>The server closes the socket (Voxist).</summary>
    ServerClose,
    /// <summary>A message marks completion (iApp, Smallest, VoxNexus).</summary>
    Message,
    /// <summary>Nothing marks it: wait until the server has been quiet for a while (Speechall).</summary>
    Quiet,
}

/// <summary>What a protocol adapter may use while preparing a connection.</summary>
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
/// A provider's protocol adapter: the connect request (with any token exchange), an optional handshake,
/// audio framing, end of stream, message parsing, completion and close-code mapping. Adding a provider
/// means a folder with a descriptor and one of these, and a line in <see cref="ProviderRegistry"/>.
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

    /// <summary>For <see cref="CompletionMode.Quiet"/>: how long the server must be silent after the end of
    /// stream before the session counts as complete.</summary>
    public virtual TimeSpan QuietWindow(SessionOptions options) => TimeSpan.FromSeconds(3);

    public abstract IMessageParser CreateParser(ParserContext context);

    /// <summary>Maps a close from the server to an error, or null when the close is a normal completion.</summary>
    public abstract AsrException? MapClose(int code, string? reason, bool endOfStreamSent);

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

    /// <summary>Reads a JSON document, or null when the text is not JSON.</summary>
    public static JsonDocument? TryParseJson(string text)
    {
        var t = text.AsSpan().TrimStart();
        if (t.Length == 0 || (t[0] != '{' && t[0] != '[')) return null;
        try { return JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 64 }); }
        catch (JsonException) { return null; }
    }
}

/// <summary>JSON helpers that never throw: not on a wrong type, and not on text that is valid JSON but not valid
/// UTF-16 (a lone surrogate escape in a value or a property name, which System.Text.Json refuses with an exception
/// when the text is read or compared; found by the fuzz tests).</summary>
public static class Json
{
    private static bool TryGet(JsonElement e, string name, JsonValueKind kind, out JsonElement value)
    {
        value = default;
        if (e.ValueKind != JsonValueKind.Object) return false;
        try { return e.TryGetProperty(name, out value) && value.ValueKind == kind; }
        catch (InvalidOperationException) { return false; }
    }

    public static string? Str(this JsonElement e, string name)
    {
        if (!TryGet(e, name, JsonValueKind.String, out var v)) return null;
        try { return v.GetString(); }
        catch (InvalidOperationException) { return null; }
    }

    public static double? Num(this JsonElement e, string name) =>
        TryGet(e, name, JsonValueKind.Number, out var v) && v.TryGetDouble(out var d) && double.IsFinite(d) ? d : null;

    public static bool? Bool(this JsonElement e, string name) =>
        TryGet(e, name, JsonValueKind.True, out _) ? true : TryGet(e, name, JsonValueKind.False, out _) ? false : null;

    public static JsonElement? Obj(this JsonElement e, string name) =>
        TryGet(e, name, JsonValueKind.Object, out var v) ? v : null;

    /// <summary>A string, or a number written as text (Smallest's <c>speaker</c> is an int in one spec and a string in another).</summary>
    public static string? StrOrNum(this JsonElement e, string name) =>
        TryGet(e, name, JsonValueKind.Number, out var n) ? n.GetRawText() : e.Str(name);

    public static IEnumerable<JsonElement> Arr(this JsonElement e, string name) =>
        TryGet(e, name, JsonValueKind.Array, out var v) ? v.EnumerateArray() : Enumerable.Empty<JsonElement>();
}
