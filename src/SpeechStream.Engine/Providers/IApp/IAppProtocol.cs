using System.Text.Json;
using SpeechStream.Engine.Sessions;

namespace SpeechStream.Engine.Providers.IApp;

/// <summary>
/// iApp Thai real-time ASR, <c>asrx</c> (seed <c>001_42ac4221499e0d06.txt</c>; the protocol notes and the choices
/// made are in this folder's README.md). Auth: header <c>apikey</c>. Audio: binary PCM s16le mono at 16 kHz only;
/// no configuration at all. End of stream: the text frame <c>{"data":{"status":"CloseConnection"}}</c> (the seed's
/// code; its prose says "end of stream", available as the option <c>end_status</c>). Completion: a frame whose
/// <c>text</c> is <c>end_of_process</c> (prose) or <c>Confirm Close Connection</c> (code), compared trimmed and
/// case-insensitively, either first; the session reads on for the completion grace, then closes with 1000. Results:
/// <c>{"type":"realtime","state":"Sentence"|"NewSentence","text"}</c>; by default each message replaces the current
/// sentence (the seed's code), or with <c>text_mode=incremental</c> adds to it (the seed's prose examples);
/// <c>NewSentence</c> (any spacing or case) commits the previous one as final. Sentences are not numbered. The
/// protocol has <b>no times</b>: the session estimates them from the audio sent and marks them TimesEstimated, and
/// after a reconnect removes repeats by text. WebSocket errors are undocumented; a refused upgrade (HTTP 401 per the
/// REST docs) is an authentication error.
/// </summary>
public sealed class IAppProtocol : ProviderProtocol
{
    /// <summary>The seed's end-of-stream status (its code); "end of stream" is the prose's variant.</summary>
    public const string DefaultEndStatus = "CloseConnection";

    private static readonly ProviderDescriptor Desc = new()
    {
        Name = "IApp",
        SeedDocument = "001_42ac4221499e0d06.txt",
        Endpoints = new[]
        {
            new ProviderEndpoint("Production", new Uri("wss://api.iapp.co.th/asrx")),
            // An older capture of the docs (README, "Endpoints"); same message protocol.
            new ProviderEndpoint("Uat", new Uri("wss://api-uat.iapp.co.th/asr")),
        },
        AuthModes = new[] { "header" },
        ApiKeyVariable = "IAPP_API_KEY",
        SampleRates = new[] { 16000 },
        Languages = new[] { "th" },
        DefaultLanguage = "th",
        // asrx recognises Thai only (seed 001_…): another language is refused before connecting (README, "Connection and audio").
        LanguageAliases = new[] { "th-TH" },
        LanguagesClosed = true,
        Options = new[]
        {
            new ProviderOption("end_status", OptionKind.Enum,
                "Status sent in the end-of-stream frame: CloseConnection (seed code) or 'end of stream' (seed prose).",
                DefaultEndStatus, new[] { DefaultEndStatus, "end of stream" }),
            new ProviderOption("text_mode", OptionKind.Enum,
                "cumulative: each message holds the whole sentence so far (the seed's code); incremental: each message adds to it (the seed's prose examples).",
                "cumulative", new[] { "cumulative", "incremental" }),
        },
        Capabilities = ProviderCapabilities.PartialResults,
        WireTimeUnit = WireTimeUnit.None,
        // The seed sends 1024-byte frames (32 ms); 100 ms paced at real time is within what it accepts (README, "Audio").
        ChunkMilliseconds = 100,
        EndOfStream = "{\"data\":{\"status\":\"CloseConnection\"}}; completion on text end_of_process or Confirm Close Connection, then the client closes",
    };

    /// <inheritdoc/>
    public override ProviderDescriptor Descriptor => Desc;

    /// <inheritdoc/>
    public override CompletionMode Completion => CompletionMode.Message;

    /// <inheritdoc/>
    public override Task<ConnectRequest> PrepareConnectAsync(ConnectContext c, CancellationToken ct)
    {
        var request = new ConnectRequest { Uri = c.Endpoint };
        request.Headers["apikey"] = c.ApiKey.Reveal();
        return Task.FromResult(request);
    }

    /// <inheritdoc/>
    public override IReadOnlyList<OutgoingFrame> EndOfStream(ConnectContext context)
    {
        string status = context.Option(Desc, "end_status") ?? DefaultEndStatus;
        return new[] { OutgoingFrame.Text(JsonSerializer.Serialize(new IAppEndOfStream(new IAppStatus(status)), IAppJsonContext.Default.IAppEndOfStream)) };
    }

    /// <inheritdoc/>
    public override IMessageParser CreateParser(ParserContext context) =>
        new Parser(string.Equals(context.Options.ProviderOptions.Get(Desc, "text_mode"), "incremental", StringComparison.OrdinalIgnoreCase));

    /// <summary>True for the two completion markers (README, "Completion").</summary>
    public static bool IsCompletionMarker(string? text)
    {
        var t = text?.Trim();
        return t is not null && (t.Equals("end_of_process", StringComparison.OrdinalIgnoreCase)
                                 || t.Equals("Confirm Close Connection", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>True for <c>NewSentence</c> in any spacing or case (README, "Results").</summary>
    public static bool IsNewSentence(string? state) =>
        state is not null && state.Replace(" ", "", StringComparison.Ordinal).Equals("NewSentence", StringComparison.OrdinalIgnoreCase);

    /// <summary>Holds the current sentence: every message replaces it (or, incremental, adds to it) as a partial;
    /// <c>NewSentence</c> commits the previous one as a final, and so does the completion marker for the last one.
    /// Results carry no times and no segment number.</summary>
    private sealed class Parser(bool incremental) : JsonObjectParser
    {
        private string _current = "";
        private string _committed = "";
        private string _lastMessage = "";
        private bool _afterMarker;
        private int _followUps, _extensions;

        protected override ParsedMessage Read(JsonElement root)
        {
            string? body = root.Str("text");
            if (body is null) return ParsedMessage.Ignored;
            if (IsCompletionMarker(body))
            {
                var done = new ParsedMessage { Complete = true };
                if (Commit() is { } last) done.Results.Add(last);
                _afterMarker = true;
                return done;
            }
            var msg = new ParsedMessage();
            bool newSentence = IsNewSentence(root.Str("state"));
            if (!newSentence && _current.Length > 0) Observe(body);
            _lastMessage = body;
            if (newSentence && Commit() is { } committed) msg.Results.Add(committed);
            _current = incremental ? Join(_current, body) : body;
            // README, "Completion": after the marker committed a sentence, a cumulative message of that same sentence
            // is a revision; only the words it adds are new.
            if (_afterMarker && !newSentence && !incremental && _current.StartsWith(_committed, StringComparison.Ordinal))
                _current = _current[_committed.Length..].TrimStart();
            msg.Results.Add(Result(isFinal: false));
            return msg;
        }

        /// <summary>Counts, within a sentence, the messages that repeat the previous one and go on (cumulative text)
        /// against those that do not (incremental pieces).</summary>
        private void Observe(string body)
        {
            _followUps++;
            string previous = _lastMessage.Trim();
            if (previous.Length > 0 && body.TrimStart().StartsWith(previous, StringComparison.Ordinal)) _extensions++;
        }

        /// <summary>README, "Results": after a few messages, text that plainly contradicts the chosen reading.</summary>
        public override string? Doubt =>
            _followUps < 3 ? null
            : !incremental && _extensions * 4 < _followUps
                ? $"iApp's messages within a sentence did not repeat the sentence so far ({_extensions} of {_followUps} did): the server may send incremental text; try -ProviderOption @{{text_mode='incremental'}} / --option text_mode=incremental"
            : incremental && _extensions * 4 >= _followUps * 3
                ? $"iApp's messages within a sentence repeated the sentence so far ({_extensions} of {_followUps} did): the server sends cumulative text; drop text_mode=incremental"
            : null;

        /// <summary>Text that came after the completion marker (within the grace) is the last sentence: commit it.</summary>
        public override IReadOnlyList<ProviderResult> Finish() => Commit() is { } last ? new[] { last } : Array.Empty<ProviderResult>();

        private ProviderResult? Commit()
        {
            if (_current.Trim().Length == 0) return null;
            var r = Result(isFinal: true);
            _committed = _current.TrimEnd();
            _current = "";
            return r;
        }

        private static string Join(string sentence, string piece) =>
            sentence.Length == 0 || char.IsWhiteSpace(sentence[^1]) || piece.Length == 0 || char.IsWhiteSpace(piece[0]) ? sentence + piece : sentence + " " + piece;

        private ProviderResult Result(bool isFinal) =>
            new(null, isFinal, _current, null, null, Array.Empty<Transcripts.TranscriptWord>());
    }
}
