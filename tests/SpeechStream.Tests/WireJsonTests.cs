using System.Text.Json;
using SpeechStream.Emulator;
using SpeechStream.Engine.Providers.Smallest;
using SpeechStream.Engine.Providers.VoxNexus;
using SpeechStream.Engine.Transcripts;
using SpeechStream.Engine.Transcripts.Formats;

namespace SpeechStream.Tests;

/// <summary>The JSON the engine and the emulators write through their source-generated contexts (for the native CLI)
/// is byte for byte what the reflection-based serializer wrote before: names, order, nulls written or left out, and the
/// default encoder's escapes on the wire (the JSON lines output keeps non-ASCII text as is). Expected strings were
/// captured from the reflection-based code.</summary>
public class WireJsonTests
{
    private const string Hostile = "msg \"é\" <&'>\u0001 ไทย";
    private const string HostileEscaped = @"msg \u0022\u00E9\u0022 \u003C\u0026\u0027\u003E\u0001 \u0E44\u0E17\u0E22";

    [Fact]
    public void VoxNexus_tts_init_sends_only_the_settings_given()
    {
        Assert.Equal("""{"type":"init","voice_id":"vl-xiaoxiao","language":"en-US","format":"wav","sample_rate":22050,"speed":1.1,"voice_config":{"style":"cheerful","degree":0.5}}""",
            VoxNexusSpeechSynthesizer.InitMessage(new SpeechRequest { Texts = new[] { "x" }, OutFile = "x", Voice = "vl-xiaoxiao", Language = "en-US", SampleRate = 22050, Speed = 1.1, Style = "cheerful", Degree = 0.5 }));
        Assert.Equal("""{"type":"init","format":"wav","sample_rate":16000,"pitch":2,"volume":0.3,"voice_config":{"role":"Girl"}}""",
            VoxNexusSpeechSynthesizer.InitMessage(new SpeechRequest { Texts = new[] { "x" }, OutFile = "x", Pitch = 2, Volume = 0.3, Role = "Girl" }));
        Assert.Equal("""{"type":"init","format":"wav","sample_rate":16000}""",
            VoxNexusSpeechSynthesizer.InitMessage(new SpeechRequest { Texts = new[] { "x" }, OutFile = "x", Voice = "", Language = "" }));
    }

    [Fact]
    public void Smallest_seed_keywords_are_a_json_array_string()
    {
        Assert.Equal(@"[""a:2"",""b c"",""\u00E4\u0022\u003C\u0027\u0026""]",
            SmallestProtocol.KeywordsFor(new Uri("wss://waves-api.smallest.ai/api/v1/lightning/get_text"), new[] { "a:2", " b c ", "ä\"<'&" }));
    }

    [Fact]
    public void Json_lines_rows_keep_names_order_nulls_and_unescaped_text()
    {
        var o = new StringWriter();
        var w = new JsonLinesWriter(o);
        w.Write(new Transcript
        {
            Provider = "Voxist", SessionId = "s1", Text = "héllo \"q\" <&'> ไทย\u0001", Segment = 3, IsFinal = true, Start = 1.25, Confidence = 0.9,
            ReceivedAt = new DateTimeOffset(2025, 1, 2, 3, 4, 5, 678, TimeSpan.Zero), Latency = 0.1234567,
            Words = new WordList(new[] { new TranscriptWord("héllo", 1.25, 1.5, null), new TranscriptWord("x", null, null, 0.5) }),
        });
        w.Write(new Transcript
        {
            Provider = "iApp", Source = "a.wav", Channel = "left", SessionId = "s2", Text = "", TimesEstimated = true, Unconfirmed = true,
            Language = "th", Speaker = "1", ReceivedAt = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.FromHours(7)),
        });
        Assert.Equal(new[]
        {
            """{"provider":"Voxist","source":null,"channel":null,"sessionId":"s1","segment":3,"isFinal":true,"text":"héllo \"q\" <&'> ไทย\u0001","start":1.25,"end":null,"timesEstimated":false,"confidence":0.9,"language":null,"speaker":null,"receivedAt":"2025-01-02T03:04:05.678+00:00","latency":0.1234567,"unconfirmed":false,"words":[{"text":"héllo","start":1.25,"end":1.5,"confidence":null},{"text":"x","start":null,"end":null,"confidence":0.5}]}""",
            """{"provider":"iApp","source":"a.wav","channel":"left","sessionId":"s2","segment":0,"isFinal":false,"text":"","start":null,"end":null,"timesEstimated":true,"confidence":null,"language":"th","speaker":"1","receivedAt":"2025-01-02T03:04:05+07:00","latency":null,"unconfirmed":true,"words":[]}""",
        }, o.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Csv_rows_are_what_Export_Csv_writes_under_the_invariant_culture()
    {
        // PowerShell 7's Export-Csv: every field quoted (-UseQuotes Always) but a null, left empty; each value its
        // ToString() in the current culture (the invariant culture here): numbers shortest round-trip, DateTimeOffset
        // as MM/dd/yyyy HH:mm:ss zzz.
        var o = new StringWriter();
        var w = new CsvWriter(o);
        w.Write(new Transcript
        {
            Provider = "Voxist", SessionId = "s1", Text = "say \"hi\", then go", Segment = 3, IsFinal = true, Start = 1.25, Confidence = 0.9,
            ReceivedAt = new DateTimeOffset(2025, 1, 2, 3, 4, 5, 678, TimeSpan.Zero), Latency = 0.1234567,
            Words = new WordList(new[] { new TranscriptWord("say", 1.25, 1.5, null), new TranscriptWord("hi", null, null, 0.5) }),
        });
        w.Write(new Transcript
        {
            Provider = "iApp", Source = "a.wav", Channel = "left", SessionId = "s2", Text = "", TimesEstimated = true, Unconfirmed = true,
            Language = "th", Speaker = "", Start = 27.730000000000103, ReceivedAt = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.FromHours(7)),
        });
        Assert.Equal(new[]
        {
            "\"Provider\",\"Source\",\"Channel\",\"SessionId\",\"Segment\",\"IsFinal\",\"Text\",\"Start\",\"End\",\"TimesEstimated\",\"Confidence\",\"Language\",\"Speaker\",\"ReceivedAt\",\"Latency\",\"Unconfirmed\",\"Words\"",
            "\"Voxist\",,,\"s1\",\"3\",\"True\",\"say \"\"hi\"\", then go\",\"1.25\",,\"False\",\"0.9\",,,\"01/02/2025 03:04:05 +00:00\",\"0.1234567\",\"False\",\"say@1.25 hi\"",
            "\"iApp\",\"a.wav\",\"left\",\"s2\",\"0\",\"False\",\"\",\"27.730000000000103\",,\"True\",,\"th\",\"\",\"01/02/2025 03:04:05 +07:00\",,\"True\",\"\"",
        }, o.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Emulator_frames_keep_their_shapes()
    {
        Assert.Equal($$"""{"type":"error","message":"{{HostileEscaped}}"}""", JsonSerializer.Serialize(new VoxistError { Message = Hostile }, VoxistEmulatorJsonContext.Default.VoxistError));
        Assert.Equal("""{"url":"ws://127.0.0.1:1/ws?token=t"}""", JsonSerializer.Serialize(new VoxistToken("ws://127.0.0.1:1/ws?token=t"), VoxistEmulatorJsonContext.Default.VoxistToken));
        Assert.Equal($$"""{"type":"error","error":"{{HostileEscaped}}","code":"C\u003C1\u003E","request_id":"req_fault"}""",
            JsonSerializer.Serialize(new VoxNexusError { Error = Hostile, Code = "C<1>", RequestId = "req_fault" }, VoxNexusEmulatorJsonContext.Default.VoxNexusError));
        Assert.Equal($$"""{"error":"{{HostileEscaped}}","code":"C"}""", JsonSerializer.Serialize(new SmallestPlainError(Hostile, "C"), SmallestEmulatorJsonContext.Default.SmallestPlainError));
        Assert.Equal($$"""{"type":"error","error_code":"C","message":"{{HostileEscaped}}"}""",
            JsonSerializer.Serialize(new SmallestTypedError { ErrorCode = "C", Message = Hostile }, SmallestEmulatorJsonContext.Default.SmallestTypedError));
        Assert.Equal("{\"status\":\"error\",\"error\":{\"message\":\"" + HostileEscaped + "\",\"code\":\"C\"}}",
            JsonSerializer.Serialize(new SmallestStatusError { Error = new SmallestErrorBody(Hostile, "C") }, SmallestEmulatorJsonContext.Default.SmallestStatusError));
        Assert.Equal("""{"type":"realtime","text":"end_of_process"}""", JsonSerializer.Serialize(new IAppRealtime { Text = "end_of_process" }, IAppEmulatorJsonContext.Default.IAppRealtime));
        Assert.Equal("""{"type":"realtime","state":"Sentence","text":"a "}""", JsonSerializer.Serialize(new IAppRealtime { State = "Sentence", Text = "a " }, IAppEmulatorJsonContext.Default.IAppRealtime));
        Assert.Equal("""{"type":"ready","request_id":"r","voice_id":null,"language":null,"format":"wav","sample_rate":16000}""",
            JsonSerializer.Serialize(new VoxNexusTtsReady { RequestId = "r", VoiceId = null, Language = null, Format = "wav", SampleRate = 16000 }, VoxNexusEmulatorJsonContext.Default.VoxNexusTtsReady));
        Assert.Equal("""{"type":"transcript","request_id":"r","text":"a","is_final":false,"offset":210,"duration":1260}""",
            JsonSerializer.Serialize(new VoxNexusTranscript { RequestId = "r", Text = "a", IsFinal = false, Offset = 210, Duration = 1260 }, VoxNexusEmulatorJsonContext.Default.VoxNexusTranscript));
        Assert.Equal("""{"type":"transcript","request_id":"r","text":"a","is_final":true,"offset":210,"duration":2580,"segment_id":"seg_0","language":"en-US","confidence":0.95,"words":[{"word":"he","offset":210,"duration":110,"confidence":0.96}]}""",
            JsonSerializer.Serialize(new VoxNexusTranscript
            {
                RequestId = "r", Text = "a", IsFinal = true, Offset = 210, Duration = 2580, SegmentId = "seg_0", Language = "en-US", Confidence = 0.95,
                Words = new[] { new VoxNexusWord("he", 210, 110, 0.96) },
            }, VoxNexusEmulatorJsonContext.Default.VoxNexusTranscript));
    }
}
