using System.Globalization;
using System.Text.Json;
using SpeechStream.Engine.Sessions;
using SpeechStream.Engine.Transcripts;

namespace SpeechStream.Engine.Providers.Smallest;

/// <summary>
/// Smallest.ai Lightning STT (seed <c>002_6b03356797425578.txt</c>; the protocol notes and the choices made are in
/// this folder's README.md).
/// Auth: <c>Authorization: Bearer KEY</c> (default) or <c>?token=KEY</c>. Configuration is all in the query:
/// <c>language</c>, <c>encoding=linear16</c>, <c>sample_rate</c> and <c>word_timestamps</c> are always sent
/// explicitly (the docs disagree on defaults), the other documented options only when given. Audio: binary
/// PCM s16le, 4096-byte chunks recommended (128 ms at 16 kHz). End of stream: a JSON text frame whose type
/// comes from the endpoint profile (<see cref="EndMessageFor"/>): <c>{"type":"end"}</c> on the seed endpoint,
/// <c>finalize</c> on the 2026 Lightning host, <c>close_stream</c> on Pulse and unified endpoints. Results:
/// <c>transcript</c>, <c>is_final</c>, <c>is_last</c> (completion, then the completion grace), segments not numbered, words from <c>words</c> or
/// <c>word_timestamps</c> with <c>start</c>/<c>end</c> in <b>seconds</b>. Errors: <c>{"status":"error","error":{message,code}}</c>
/// (legacy) or <c>{"type":"error","message"}</c> (unified); close 1008 is the concurrency limit.
/// </summary>
public sealed class SmallestProtocol : ProviderProtocol
{
    private static readonly string[] BoolOptions = { "full_transcript", "sentence_timestamps", "redact_pii", "redact_pci", "format" };

    private static readonly ProviderDescriptor Desc = new()
    {
        Name = "Smallest",
        SeedDocument = "002_6b03356797425578.txt",
        Endpoints = new[]
        {
            new ProviderEndpoint("Production", new Uri("wss://waves-api.smallest.ai/api/v1/lightning/get_text")),
            new ProviderEndpoint("Lightning", new Uri("wss://api.smallest.ai/waves/v1/lightning/get_text")),
            new ProviderEndpoint("Pulse", new Uri("wss://api.smallest.ai/waves/v1/pulse/get_text")),
            new ProviderEndpoint("PulseUs", new Uri("wss://api.us.smallest.ai/waves/v1/pulse/get_text")),
        },
        AuthModes = new[] { "bearer", "token" },
        ApiKeyVariable = "SMALLEST_API_KEY",
        SampleRates = new[] { 16000, 8000, 22050, 24000, 44100, 48000 },
        Languages = "en it es pt hi de fr uk ru kn ml pl mr gu cs sk te or nl bn lv et ro pa fi sv bg ta hu da lt mt multi".Split(' '),
        DefaultLanguage = "en",
        Options = new[]
        {
            new ProviderOption("full_transcript", "bool", "Adds full_transcript (text so far) to final messages."),
            new ProviderOption("sentence_timestamps", "bool", "Adds utterances[] with start/end in seconds."),
            new ProviderOption("numerals", "enum", "Spoken numbers as digits.", null, new[] { "true", "false", "auto" }),
            new ProviderOption("redact_pii", "bool", "Redact personal data."),
            new ProviderOption("redact_pci", "bool", "Redact payment card data."),
            new ProviderOption("format", "bool", "Punctuation and capitalisation (added March 2026)."),
            new ProviderOption("eou_timeout_ms", "int", "End-of-utterance silence in milliseconds, 100-10000 (added March 2026)."),
            new ProviderOption("end_message", "enum",
                "End-of-stream frame type; default from the endpoint: end (seed Lightning), finalize (api.smallest.ai Lightning), close_stream (Pulse, /stt/live).",
                null, new[] { "end", "finalize", "close_stream" }),
        },
        Capabilities = ProviderCapabilities.PartialResults | ProviderCapabilities.WordStartTimes | ProviderCapabilities.WordEndTimes
                       | ProviderCapabilities.Confidence | ProviderCapabilities.Diarization | ProviderCapabilities.LanguageDetection
                       | ProviderCapabilities.CustomVocabulary,
        Parameters = CommonParameters.WordTimestamps | CommonParameters.Diarize | CommonParameters.Vocabulary,
        WireTimeUnit = "seconds",
        ChunkMilliseconds = 128,
        EndOfStream = "{\"type\":\"end\"} (finalize or close_stream on newer endpoints); completion on is_last",
    };

    public override ProviderDescriptor Descriptor => Desc;

    public override CompletionMode Completion => CompletionMode.Message;

    /// <summary>The endpoint profile's end-of-stream type, read from the path so a gateway or the emulator serving the
    /// same paths gets the same message (README, "End of stream"): <c>close_stream</c> for Pulse (<c>/pulse/</c>) and
    /// unified (<c>/stt/live</c>) paths, <c>finalize</c> for the 2026 Lightning path (<c>/waves/v1/lightning/</c> on
    /// api.smallest.ai), and <c>end</c> otherwise (the seed's <c>/api/v1/lightning/</c> on waves-api).</summary>
    public static string EndMessageFor(Uri endpoint)
    {
        string path = endpoint.AbsolutePath;
        if (path.Contains("/pulse/", StringComparison.OrdinalIgnoreCase) || path.Contains("/stt/live", StringComparison.OrdinalIgnoreCase))
            return "close_stream";
        if (path.Contains("/waves/v1/lightning/", StringComparison.OrdinalIgnoreCase))
            return "finalize";
        return "end";
    }

    public override Task<ConnectRequest> PrepareConnectAsync(ConnectContext c, CancellationToken ct)
    {
        var o = c.Options;
        var q = new List<string>();
        AddQuery(q, "language", string.IsNullOrEmpty(c.Language) ? Desc.DefaultLanguage : c.Language);
        AddQuery(q, "encoding", "linear16");
        AddQuery(q, "sample_rate", c.SampleRate.ToString(CultureInfo.InvariantCulture));
        AddQuery(q, "word_timestamps", Bool(o.WordTimestamps ?? true));
        if (o.Diarize is bool d) AddQuery(q, "diarize", Bool(d));
        // The reference's example passes keywords as a JSON array string of "word:weight" (README, "Connection").
        if (o.Vocabulary is { Count: > 0 } v) AddQuery(q, "keywords", JsonSerializer.Serialize(v));
        foreach (var name in BoolOptions)
            if (o.ProviderOptions.Get(Desc, name) is { } b) AddQuery(q, name, b.ToLowerInvariant());
        AddQuery(q, "numerals", o.ProviderOptions.Get(Desc, "numerals")?.ToLowerInvariant());
        AddQuery(q, "eou_timeout_ms", o.ProviderOptions.Get(Desc, "eou_timeout_ms"));
        if (c.AuthMode == "token") AddQuery(q, "token", c.ApiKey.Reveal());
        var request = new ConnectRequest { Uri = WithQuery(c.Endpoint, q) };
        if (c.AuthMode == "bearer") request.Headers["Authorization"] = "Bearer " + c.ApiKey.Reveal();
        return Task.FromResult(request);
    }

    public override IReadOnlyList<OutgoingFrame> EndOfStream(ConnectContext context)
    {
        string type = context.Option(Desc, "end_message") ?? EndMessageFor(context.Endpoint);
        return new[] { OutgoingFrame.Text(JsonSerializer.Serialize(new { type = type.ToLowerInvariant() })) };
    }

    public override IMessageParser CreateParser(ParserContext context) => new Parser();

    /// <summary>1008 is the concurrency limit on Smallest's endpoints (README, "Close codes"), never retried; with a
    /// reason naming the key it is an authentication failure (the engine's table).</summary>
    protected override CloseVerdict? OverrideClose(int code, string? reason, bool endOfStreamSent) =>
        code == 1008 && !CloseCodes.MentionsCredentials(reason)
            ? new CloseVerdict(CloseKind.Refused, new AsrException(AsrErrorKind.Provider, "SmallestConcurrencyLimit",
                $"Smallest closed the connection (1008{(string.IsNullOrWhiteSpace(reason) ? "" : $": {reason}")}): the account's concurrent session limit is reached; close other sessions or raise the limit.")
            { Provider = Desc.Name, CloseCode = code })
            : null;

    /// <summary>Parses TranscriptionResponse frames. Segments have no id: partials belong to the segment the next
    /// <c>is_final</c> closes.</summary>
    private sealed class Parser : JsonObjectParser
    {
        protected override ParsedMessage Read(JsonElement root)
        {
            if (root.Str("status") == "error" || root.Str("type") == "error")
            {
                var err = root.Obj("error");
                string message = err?.Str("message") ?? root.Str("message") ?? root.Str("error") ?? "no message";
                string? code = err?.Str("code") ?? root.Str("code");
                return ParsedMessage.Failed(new AsrException(AsrErrorKind.Provider, "SmallestError",
                    $"Smallest reported an error{(code is null ? "" : $" ({code})")}: {message}") { Provider = Desc.Name, ProviderCode = code });
            }
            string? transcript = root.Str("transcript") ?? root.Str("transcription");
            bool isLast = root.Bool("is_last") == true;
            if (transcript is null && !isLast) return ParsedMessage.Ignored; // vad events, unknown frames
            bool isFinal = root.Bool("is_final") == true || isLast;
            var words = new List<TranscriptWord>();
            var speakers = new HashSet<string>();
            // README, "Results": prefer "words", else the seed's "word_timestamps".
            var list = root.Arr("words").Any() ? root.Arr("words") : root.Arr("word_timestamps");
            foreach (var w in list)
            {
                if (w.Str("word") is not { Length: > 0 } wt) continue;
                words.Add(new TranscriptWord(wt, w.Num("start"), w.Num("end"), w.Num("confidence")));
                if (w.StrOrNum("speaker") is { } sp) speakers.Add(sp);
            }
            var msg = new ParsedMessage { Complete = isLast };
            if (!string.IsNullOrWhiteSpace(transcript))
                msg.Results.Add(new ProviderResult(null, isFinal, transcript,
                    words.FirstOrDefault()?.Start, words.LastOrDefault()?.End, words, null, root.Str("language"),
                    speakers.Count == 1 ? speakers.First() : null));
            return msg;
        }
    }
}
