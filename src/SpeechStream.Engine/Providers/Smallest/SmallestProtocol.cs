using System.Globalization;
using System.Text.Json;
using SpeechStream.Engine.Sessions;
using SpeechStream.Engine.Transcripts;

namespace SpeechStream.Engine.Providers.Smallest;

/// <summary>
/// Smallest.ai streaming STT (seed <c>002_6b03356797425578.txt</c>, and the services' own clients since; the protocol
/// notes, the sources and the choices made are in this folder's README.md). Routes (<c>-Environment</c>): the seed's
/// Lightning route (default), the 2026 Lightning host, Pulse, and the unified route <c>/waves/v1/stt/live</c>
/// (<c>Live</c>), which requires <c>model=pulse</c>. Auth: <c>Authorization: Bearer KEY</c> (default),
/// <c>?api_key=KEY</c> (<c>--auth key</c>, as Smallest's own AI SDK provider sends it) or <c>?token=KEY</c> (<c>--auth
/// token</c>, as the documentation names it). Configuration is all in the query: <c>language</c>,
/// <c>encoding=linear16</c>, <c>sample_rate</c> and <c>word_timestamps</c> always, <c>model</c> where the route needs
/// it or the user gives one, <c>keywords</c> per route (<see cref="KeywordsFor"/>), the other documented options only
/// when given. Audio: binary PCM s16le, 4096-byte chunks (128 ms at 16 kHz). End of stream per route
/// (<see cref="EndMessageFor"/>): <c>{"type":"end"}</c> on the seed's <c>/api/v1/</c> paths, <c>close_stream</c> on the
/// <c>/waves/v1/</c> routes (there <c>finalize</c> is a mid-session flush that never yields <c>is_last</c>).
/// Results: <c>transcript</c> (or <c>transcription</c>), <c>is_final</c>, <c>is_last</c> (completion, then the
/// completion grace); segments not numbered; words from <c>words</c> or <c>word_timestamps</c> with
/// <c>start</c>/<c>end</c> in <b>seconds</b>. An <c>is_last</c> frame that repeats the previous final's text is not a
/// new result. Errors, in every shape Smallest's clients read (<c>{"error","code"}</c>, <c>{"type":"error",
/// "error_code"|"code","message"}</c>, <c>{"status":"error","error":{message,code}}</c>), are read through the engine's
/// table (<see cref="CloseCodes.ErrorFrame"/>); close 1008 is the concurrency limit.
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
            new ProviderEndpoint("Live", new Uri("wss://api.smallest.ai/waves/v1/stt/live")),
            new ProviderEndpoint("LiveUs", new Uri("wss://api.us.smallest.ai/waves/v1/stt/live")),
        },
        AuthModes = new[] { "bearer", "key", "token" },
        ApiKeyVariable = "SMALLEST_API_KEY",
        SampleRates = new[] { 16000, 8000, 22050, 24000, 44100, 48000 },
        Languages = "en it es pt hi de fr uk ru kn ml pl mr gu cs sk te or nl bn lv et ro pa fi sv bg ta hu da lt mt multi".Split(' '),
        DefaultLanguage = "en",
        Options = new[]
        {
            new ProviderOption("full_transcript", OptionKind.Bool, "Adds full_transcript (text so far) to final messages."),
            new ProviderOption("sentence_timestamps", OptionKind.Bool, "Adds utterances[] with start/end in seconds."),
            new ProviderOption("numerals", OptionKind.Enum, "Spoken numbers as digits.", null, new[] { "true", "false", "auto" }),
            new ProviderOption("redact_pii", OptionKind.Bool, "Redact personal data."),
            new ProviderOption("redact_pci", OptionKind.Bool, "Redact payment card data."),
            new ProviderOption("format", OptionKind.Bool, "Punctuation and capitalisation (added March 2026)."),
            new ProviderOption("eou_timeout_ms", OptionKind.Int, "End-of-utterance silence in milliseconds, 100-10000 (added March 2026)."),
            new ProviderOption("end_message", OptionKind.Enum,
                "End-of-stream frame type; default from the route: end (the seed's /api/v1/ paths), close_stream (the /waves/v1/ routes: Lightning 2026, Pulse, Live).",
                null, new[] { "end", "finalize", "close_stream" }),
        },
        Capabilities = ProviderCapabilities.PartialResults | ProviderCapabilities.WordStartTimes | ProviderCapabilities.WordEndTimes
                       | ProviderCapabilities.Confidence | ProviderCapabilities.Diarization | ProviderCapabilities.LanguageDetection
                       | ProviderCapabilities.CustomVocabulary,
        Parameters = CommonParameters.Model | CommonParameters.WordTimestamps | CommonParameters.Diarize | CommonParameters.Vocabulary,
        // The unified route's only streaming model (pulse-pro is batch only: HTTP 400 on /stt/live); README, "Connection".
        Models = new[] { UnifiedModel },
        WireTimeUnit = WireTimeUnit.Seconds,
        ChunkMilliseconds = 128,
        EndOfStream = "{\"type\":\"end\"} on the seed route, {\"type\":\"close_stream\"} on the /waves/v1/ routes; completion on is_last",
    };

    /// <inheritdoc/>
    public override ProviderDescriptor Descriptor => Desc;

    /// <inheritdoc/>
    public override CompletionMode Completion => CompletionMode.Message;

    /// <summary>The model the unified route requires (<c>model=pulse</c>; README, "Connection").</summary>
    public const string UnifiedModel = "pulse";

    /// <summary>True for the 2026 hosts' routes (<c>/waves/v1/…</c>: Lightning 2026, Pulse, unified), false for the
    /// seed's <c>/api/v1/…</c> paths on waves-api (and gateways serving them).</summary>
    public static bool IsWavesV1(Uri endpoint) => endpoint.AbsolutePath.Contains("/waves/v1/", StringComparison.OrdinalIgnoreCase);

    /// <summary>True for the unified route <c>/stt/live</c>, which requires <c>model</c>.</summary>
    public static bool IsUnified(Uri endpoint) => endpoint.AbsolutePath.Contains("/stt/live", StringComparison.OrdinalIgnoreCase);

    /// <summary>The route's end-of-stream type, read from the path so a gateway or the emulator serving the same paths
    /// gets the same message (README, "End of stream"): <c>close_stream</c> on every <c>/waves/v1/</c> route (Pulse, the
    /// unified route, and the 2026 Lightning host, whose documents were folded into Pulse's), and <c>end</c> on the
    /// seed's <c>/api/v1/</c> paths (the seed, the cookbook and LiveKit on waves-api).</summary>
    public static string EndMessageFor(Uri endpoint) =>
        IsWavesV1(endpoint) || IsUnified(endpoint) ? "close_stream" : "end";

    /// <summary>The <c>keywords</c> value for a route: one comma-separated string of <c>word[:boost]</c> on the
    /// <c>/waves/v1/</c> routes ("a single comma-separated string (not a JSON array)", pulse-stt-ws.yaml; Smallest's
    /// own clients join with commas), and the seed's JSON array string elsewhere; null for no keywords (an empty value
    /// would register one empty keyword).</summary>
    public static string? KeywordsFor(Uri endpoint, IReadOnlyList<string>? vocabulary)
    {
        var words = vocabulary?.Select(v => v.Trim()).Where(v => v.Length > 0).ToList();
        if (words is not { Count: > 0 }) return null;
        return IsWavesV1(endpoint) || IsUnified(endpoint) ? string.Join(",", words) : JsonSerializer.Serialize(words, SmallestJsonContext.Default.ListString);
    }

    /// <inheritdoc/>
    public override Task<ConnectRequest> PrepareConnectAsync(ConnectContext c, CancellationToken ct)
    {
        var o = c.Options;
        var q = new List<string>();
        // Only the unified route takes a model (README, "Routes"); elsewhere a -Model meant for another provider of the
        // same run (-Provider speechall,smallest -Model deepgram.nova-2) must not reach Smallest.
        if (IsUnified(c.Endpoint)) AddQuery(q, "model", string.IsNullOrWhiteSpace(o.Model) ? UnifiedModel : o.Model.Trim());
        AddQuery(q, "language", string.IsNullOrEmpty(c.Language) ? Desc.DefaultLanguage : c.Language);
        AddQuery(q, "encoding", "linear16");
        AddQuery(q, "sample_rate", c.SampleRate.ToString(CultureInfo.InvariantCulture));
        AddQuery(q, "word_timestamps", Bool(o.WordTimestamps ?? true));
        if (o.Diarize is bool d) AddQuery(q, "diarize", Bool(d));
        AddQuery(q, "keywords", KeywordsFor(c.Endpoint, o.Vocabulary));
        foreach (var name in BoolOptions)
            if (o.ProviderOptions.Get(Desc, name) is { } b) AddQuery(q, name, b.ToLowerInvariant());
        AddQuery(q, "numerals", o.ProviderOptions.Get(Desc, "numerals")?.ToLowerInvariant());
        AddQuery(q, "eou_timeout_ms", o.ProviderOptions.Get(Desc, "eou_timeout_ms"));
        if (c.AuthMode == "key") AddQuery(q, "api_key", c.ApiKey.Reveal());
        if (c.AuthMode == "token") AddQuery(q, "token", c.ApiKey.Reveal());
        var request = new ConnectRequest { Uri = WithQuery(c.Endpoint, q) };
        if (c.AuthMode == "bearer") request.Headers["Authorization"] = "Bearer " + c.ApiKey.Reveal();
        return Task.FromResult(request);
    }

    /// <inheritdoc/>
    public override IReadOnlyList<OutgoingFrame> EndOfStream(ConnectContext context)
    {
        string type = context.Option(Desc, "end_message") ?? EndMessageFor(context.Endpoint);
        return new[] { OutgoingFrame.Text("{\"type\":\"" + type.ToLowerInvariant() + "\"}") };
    }

    /// <inheritdoc/>
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
        /// <summary>The text and first word start (s) of the last final, to recognise an <c>is_last</c> frame that repeats it.</summary>
        private (string Text, double? Start)? _lastFinal;

        protected override ParsedMessage Read(JsonElement root)
        {
            if (Error(root) is { } error) return ParsedMessage.Failed(error);
            string? transcript = root.Str("transcript") ?? root.Str("transcription");
            bool isLast = root.Bool("is_last") == true;
            if (transcript is null && !isLast) return ParsedMessage.Ignored; // vad events, unknown frames
            bool isFinal = root.Bool("is_final") == true || isLast;
            var msg = new ParsedMessage { Complete = isLast };
            string text = transcript?.Trim() ?? "";
            if (text.Length == 0) return msg;
            var result = Result(root, transcript!, isFinal);
            // README, "Results": the is_last frame repeated the previous final (a recorded session). Where both carry
            // word times, a repeat starts where the last final did; a sentence said twice does not.
            if (isLast && _lastFinal is var (lastText, lastStart) && text == lastText && (lastStart is null || result.Start is null || Math.Abs(lastStart.Value - result.Start.Value) < 0.02))
                return msg;
            if (isFinal) _lastFinal = (text, result.Start);
            msg.Results.Add(result);
            return msg;
        }

        private static ProviderResult Result(JsonElement root, string transcript, bool isFinal)
        {
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
            return new ProviderResult(null, isFinal, transcript, words.FirstOrDefault()?.Start, words.LastOrDefault()?.End, words, null,
                root.Str("language"), speakers.Count == 1 ? speakers.First() : null);
        }

        /// <summary>An error frame in any shape Smallest's clients read (README, "Errors"), or null.</summary>
        private static AsrException? Error(JsonElement root)
        {
            var nested = root.Obj("error");
            bool isError = root.Str("status") == "error" || root.Str("type") == "error" || nested is not null
                           || (root.Str("error") is not null && root.Str("transcript") is null && root.Str("transcription") is null);
            if (!isError) return null;
            string message = nested?.Str("message") ?? root.Str("message") ?? root.Str("error") ?? "no message";
            string? code = nested?.StrOrNum("code") ?? root.StrOrNum("error_code") ?? root.StrOrNum("code");
            return CloseCodes.ErrorFrame(Desc.Name, "SmallestError", code, message);
        }
    }
}
