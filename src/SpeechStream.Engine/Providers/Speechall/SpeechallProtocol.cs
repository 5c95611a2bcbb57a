using System.Globalization;
using System.Text.Json;
using SpeechStream.Engine.Sessions;
using SpeechStream.Engine.Transcripts;

namespace SpeechStream.Engine.Providers.Speechall;

/// <summary>
/// Speechall streaming transcribe (seed <c>004_829f362791d23941.txt</c>; the protocol notes and the choices made are
/// in this folder's README.md).
/// Auth: <c>Authorization: Bearer KEY</c> (default) or <c>api_key</c> in the query. Configuration in the query:
/// <c>model</c> (<b>required</b>), <c>language</c> (default en), <c>output_format</c> (default json here; the seed's
/// default is text), <c>punctuation</c>, <c>diarization</c>, <c>temperature</c>, <c>initial_prompt</c>,
/// <c>speakers_expected</c> and <c>custom_vocabulary</c> (repeated parameter; the seed leaves the encoding open).
/// Audio: binary PCM s16le mono 16 kHz, 4096 samples (256 ms) per chunk. There is <b>no end-of-stream message and
/// no completion signal</b>: after the last audio the session keeps receiving until the server has been quiet for
/// <c>quiet_seconds</c> (3 s, at most 15 s) plus the audio its results do not cover yet (a recogniser at real time
/// behind a fast upload), then closes with 1000. Frames are parsed by content: JSON
/// (<c>text</c>, <c>language</c>, <c>segments[]</c>/<c>words[]</c> with <c>start</c>/<c>end</c> in <b>seconds</b>,
/// word key <c>word</c> or <c>text</c>) or plain text. Every result is final.
/// </summary>
public sealed class SpeechallProtocol : ProviderProtocol
{
    /// <summary>Upper bound of the quiet window (README, "Completion").</summary>
    public const double MaxQuietSeconds = 15;

    private static readonly ProviderDescriptor Desc = new()
    {
        Name = "Speechall",
        SeedDocument = "004_829f362791d23941.txt",
        Endpoints = new[] { new ProviderEndpoint("Production", new Uri("wss://api.speechall.com/v1/transcribe")) },
        AuthModes = new[] { "bearer", "key" },
        ApiKeyVariable = "SPEECHALL_API_KEY",
        SampleRates = new[] { 16000 },
        Languages = new[] { "en", "en_us", "en_uk", "en_au", "es", "fr", "de", "it", "pt", "nl", "auto" },
        DefaultLanguage = "en",
        Options = new[]
        {
            new ProviderOption("output_format", OptionKind.Enum, "Frame format; frames are parsed by content whatever it is.", "json",
                new[] { "json", "text", "json_text", "verbose_json", "srt", "vtt" }),
            new ProviderOption("punctuation", OptionKind.Bool, "Automatic punctuation (seed default true)."),
            new ProviderOption("temperature", OptionKind.Number, "Randomness 0-1."),
            new ProviderOption("initial_prompt", OptionKind.String, "Text that guides the model."),
            new ProviderOption("speakers_expected", OptionKind.Int, "Expected number of speakers, 1-10."),
            new ProviderOption("ruleset_id", OptionKind.String, "Replacement ruleset (UUID)."),
            new ProviderOption("vocabulary_encoding", OptionKind.Enum, "How -Vocabulary goes in the query: repeat (custom_vocabulary=a&custom_vocabulary=b) or comma.",
                "repeat", new[] { "repeat", "comma" }),
            new ProviderOption("quiet_seconds", OptionKind.Number, "Seconds of server silence after the last audio that end the session (default 3, at most 15).", "3"),
        },
        Capabilities = ProviderCapabilities.WordStartTimes | ProviderCapabilities.WordEndTimes | ProviderCapabilities.Confidence
                       | ProviderCapabilities.Diarization | ProviderCapabilities.LanguageDetection | ProviderCapabilities.CustomVocabulary,
        Parameters = CommonParameters.Model | CommonParameters.Diarize | CommonParameters.Vocabulary,
        Models = new[] { "deepgram.nova-2", "deepgram.nova-3", "assemblyai.universal", "openai.gpt-4o-transcribe", "gladia.standard" },
        RequiresModel = true,
        WireTimeUnit = WireTimeUnit.Seconds,
        ChunkMilliseconds = 256,
        EndOfStream = "none documented: the session ends after the server has been quiet for 3 s, then closes 1000",
    };

    /// <inheritdoc/>
    public override ProviderDescriptor Descriptor => Desc;

    /// <inheritdoc/>
    public override CompletionMode Completion => CompletionMode.Quiet;

    /// <summary>The quiet window from <c>quiet_seconds</c>, clamped to 0.2–15 s.</summary>
    public override TimeSpan QuietWindow(SessionOptions options)
    {
        var v = double.Parse(options.ProviderOptions.Get(Desc, "quiet_seconds") ?? "3", CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(Math.Clamp(v, 0.2, MaxQuietSeconds));
    }

    /// <inheritdoc/>
    public override Task<ConnectRequest> PrepareConnectAsync(ConnectContext c, CancellationToken ct)
    {
        var o = c.Options;
        var q = new List<string>();
        if (c.AuthMode == "key") AddQuery(q, "api_key", c.ApiKey.Reveal());
        AddQuery(q, "model", o.Model!.Trim());
        AddQuery(q, "language", string.IsNullOrEmpty(c.Language) ? Desc.DefaultLanguage : c.Language);
        AddQuery(q, "output_format", c.Option(Desc, "output_format"));
        AddQuery(q, "punctuation", c.Option(Desc, "punctuation")?.ToLowerInvariant());
        if (o.Diarize is bool d) AddQuery(q, "diarization", Bool(d));
        foreach (var name in new[] { "temperature", "initial_prompt", "speakers_expected", "ruleset_id" })
            AddQuery(q, name, c.Option(Desc, name));
        if (o.Vocabulary is { Count: > 0 } vocab)
        {
            if (c.Option(Desc, "vocabulary_encoding") == "comma") AddQuery(q, "custom_vocabulary", string.Join(",", vocab));
            else foreach (var v in vocab) AddQuery(q, "custom_vocabulary", v);
        }
        var request = new ConnectRequest { Uri = WithQuery(c.Endpoint, q) };
        if (c.AuthMode == "bearer") request.Headers["Authorization"] = "Bearer " + c.ApiKey.Reveal();
        return Task.FromResult(request);
    }

    /// <summary>Nothing: Speechall documents no end-of-stream message, and we invent none (ambiguity 1).</summary>
    public override IReadOnlyList<OutgoingFrame> EndOfStream(ConnectContext context) => Array.Empty<OutgoingFrame>();

    /// <inheritdoc/>
    public override IMessageParser CreateParser(ParserContext context) => new Parser(context.Language);

    /// <summary>Each frame is a new chunk of transcript and a final (ambiguity 2); JSON or plain text by content (ambiguity 3).</summary>
    private sealed class Parser(string language) : IMessageParser
    {
        public ParsedMessage ParseText(string text)
        {
            if (string.IsNullOrWhiteSpace(text)) return ParsedMessage.Ignored;
            using var doc = TryParseJson(text);
            if (doc is null)
                return text.TrimStart().StartsWith('{') ? ParsedMessage.Ignored // broken JSON, not a transcript
                    : ParsedMessage.Of(new ProviderResult(null, true, text, null, null, Array.Empty<TranscriptWord>(), Language: language));
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return ParsedMessage.Ignored;
            if (root.Str("text") is not { } body)
            {
                // REST-style error body {"message","code"} (openapi.yaml; README, "Errors").
                if ((root.Str("message") ?? root.Str("error")) is { } message)
                    return ParsedMessage.Failed(Sessions.CloseCodes.ErrorFrame(Desc.Name, "SpeechallError", root.StrOrNum("code"), message));
                return ParsedMessage.Ignored;
            }
            var words = new List<TranscriptWord>();
            foreach (var w in root.Arr("words"))
                if ((w.Str("word") ?? w.Str("text")) is { Length: > 0 } wt) // ambiguity 4: "word" or "text"
                    words.Add(new TranscriptWord(wt, w.Num("start"), w.Num("end"), w.Num("confidence")));
            var segments = root.Arr("segments").ToList();
            var speakers = segments.Select(s => s.StrOrNum("speaker")).Concat(root.Arr("words").Select(w => w.StrOrNum("speaker")))
                .Where(s => s is not null).Distinct().ToList();
            double? start = words.FirstOrDefault()?.Start ?? segments.FirstOrDefault().Num("start");
            double? end = words.LastOrDefault()?.End ?? segments.LastOrDefault().Num("end");
            double? confidence = segments.Count == 1 ? segments[0].Num("confidence") : null;
            return ParsedMessage.Of(new ProviderResult(null, true, body, start, end, words, confidence,
                root.Str("language") ?? language, speakers.Count == 1 ? speakers[0] : null));
        }
    }
}
