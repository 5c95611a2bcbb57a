using System.Globalization;
using System.Text.Json;
using SpeechStream.Engine.Sessions;

namespace SpeechStream.Engine.Providers.IApp;

/// <summary>
/// iApp Thai real-time ASR, <c>asrx</c> (seed <c>001_42ac4221499e0d06.txt</c>; decisions in protocols.md).
/// Auth: header <c>apikey</c>. Audio: binary PCM s16le mono at 16 kHz only; no configuration at all.
/// End of stream: the text frame <c>{"data":{"status":"CloseConnection"}}</c> (the seed's code; its prose says
/// "end of stream", available as the option <c>end_status</c>). Completion: a frame whose <c>text</c> is
/// <c>end_of_process</c> (prose) or <c>Confirm Close Connection</c> (code), compared trimmed and case-insensitively;
/// the client then closes with 1000. Results: <c>{"type":"realtime","state":"Sentence"|"NewSentence","text"}</c>;
/// each message replaces the current sentence, and <c>NewSentence</c> (any spacing or case) commits the previous
/// one as final. The protocol has <b>no times</b>: segment start/end are estimated from the audio sent and the
/// transcript is marked <see cref="Transcripts.Transcript.TimesEstimated"/>. WebSocket errors are undocumented;
/// a refused upgrade (HTTP 401 per the REST docs) is an authentication error.
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
            // Older capture of the docs (protocols.md [I1]); same message protocol.
            new ProviderEndpoint("Uat", new Uri("wss://api-uat.iapp.co.th/asr")),
        },
        AuthModes = new[] { "header" },
        ApiKeyVariable = "IAPP_API_KEY",
        SampleRates = new[] { 16000 },
        Languages = new[] { "th" },
        DefaultLanguage = "th",
        Options = new[]
        {
            new ProviderOption("end_status", "enum",
                "Status sent in the end-of-stream frame: CloseConnection (seed code) or 'end of stream' (seed prose).",
                DefaultEndStatus, new[] { DefaultEndStatus, "end of stream" }),
        },
        Capabilities = ProviderCapabilities.PartialResults,
        WireTimeUnit = "none",
        // The seed sends 1024-byte frames (32 ms); protocols.md infers 1024-3200 bytes paced at real time.
        ChunkMilliseconds = 100,
        EndOfStream = "{\"data\":{\"status\":\"CloseConnection\"}}; completion on text end_of_process or Confirm Close Connection, then the client closes",
    };

    public override ProviderDescriptor Descriptor => Desc;

    public override CompletionMode Completion => CompletionMode.Message;

    public override Task<ConnectRequest> PrepareConnectAsync(ConnectContext c, CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(c.Language) && !c.Language.StartsWith("th", StringComparison.OrdinalIgnoreCase))
            throw new AsrException(AsrErrorKind.InvalidInput, "LanguageUnsupported",
                $"iApp's asrx recognises Thai only (seed 001_…); got language '{c.Language}'. Use -Language th or another provider.")
            { Provider = Desc.Name };
        var request = new ConnectRequest { Uri = c.Endpoint };
        request.Headers["apikey"] = c.ApiKey.Reveal();
        return Task.FromResult(request);
    }

    public override IReadOnlyList<OutgoingFrame> EndOfStream(ConnectContext context)
    {
        string status = context.Option(Desc, "end_status") ?? DefaultEndStatus;
        return new[] { OutgoingFrame.Text(JsonSerializer.Serialize(new { data = new { status } })) };
    }

    public override IMessageParser CreateParser(ParserContext context) => new Parser(context);

    public override AsrException? MapClose(int code, string? reason, bool endOfStreamSent)
    {
        // protocols.md, iApp ambiguity 3: a server close 1000/1005 after the end of stream is success too.
        if (code is 1000 or 1005 && endOfStreamSent) return null;
        string why = string.IsNullOrWhiteSpace(reason) ? "" : $": {reason}";
        return new AsrException(AsrErrorKind.Connection, code == 1006 ? "ConnectionLost" : "IAppClosed",
            $"iApp closed the connection ({code}{why}){(endOfStreamSent ? " before confirming the end of stream" : " before the end of stream")}.")
        { Provider = Desc.Name, CloseCode = code, IsTransient = code is 1006 or 1011 or 1013 };
    }

    /// <summary>True for the two completion markers (protocols.md, iApp ambiguity 2).</summary>
    public static bool IsCompletionMarker(string? text)
    {
        var t = text?.Trim();
        return t is not null && (t.Equals("end_of_process", StringComparison.OrdinalIgnoreCase)
                                 || t.Equals("Confirm Close Connection", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>True for <c>NewSentence</c> in any spacing or case (protocols.md, iApp ambiguity 4).</summary>
    public static bool IsNewSentence(string? state) =>
        state is not null && state.Replace(" ", "", StringComparison.Ordinal).Equals("NewSentence", StringComparison.OrdinalIgnoreCase);

    /// <summary>Holds the current sentence: every message replaces it (a partial); <c>NewSentence</c> commits the
    /// previous one (a final) and the completion marker commits the last. Times are estimated from the audio sent:
    /// a sentence spans from the previous commit to the audio sent when it is committed.</summary>
    private sealed class Parser(ParserContext context) : IMessageParser
    {
        private int _segment;
        private string _current = "";
        private double _sentenceStart;

        public ParsedMessage ParseText(string text)
        {
            using var doc = TryParseJson(text);
            if (doc is null || doc.RootElement.ValueKind != JsonValueKind.Object) return ParsedMessage.Ignored;
            var root = doc.RootElement;
            string? body = root.Str("text");
            if (body is null) return ParsedMessage.Ignored;
            double now = context.AudioSentSeconds();
            if (IsCompletionMarker(body))
            {
                var done = new ParsedMessage { Complete = true };
                if (Commit(now) is { } last) done.Results.Add(last);
                return done;
            }
            var msg = new ParsedMessage();
            if (IsNewSentence(root.Str("state")) && Commit(now) is { } committed) msg.Results.Add(committed);
            _current = body;
            msg.Results.Add(Result(isFinal: false, now));
            return msg;
        }

        private ProviderResult? Commit(double now)
        {
            if (_current.Trim().Length == 0) return null;
            var r = Result(isFinal: true, now);
            _segment++;
            _current = "";
            _sentenceStart = now;
            return r;
        }

        private ProviderResult Result(bool isFinal, double now) =>
            new(_segment.ToString(CultureInfo.InvariantCulture), isFinal, _current, Math.Round(_sentenceStart, 3), Math.Round(now, 3),
                Array.Empty<Transcripts.TranscriptWord>(), Language: context.Language, TimesEstimated: true);
    }
}
