namespace SpeechStream.Emulator;

/// <summary>How an emulator behaves. The defaults are what each seed's own sample client completes against; the
/// profiles (<see cref="EmulatorProfiles"/>) change them to what a real server could plausibly do instead.</summary>
public sealed class EmulatorOptions
{
    /// <summary>The API key the emulator accepts; null accepts any non-empty key.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The transcript to replay; null finds voiced regions by energy and sends placeholder text.</summary>
    public TranscriptScript? Script { get; set; }

    /// <summary>The faults to put on (none by default).</summary>
    internal EmulatorFaults Faults { get; set; } = new();

    /// <summary>Recognise at this many times real time at most, whatever the upload speed (a real recogniser runs at
    /// about real time; 1 = real time); null recognises as fast as the audio arrives.</summary>
    public double? RecogniserSpeed { get; set; }

    /// <summary>Voxist: which end-of-stream frames end the stream (<c>{"eof":1}</c>, <c>Done</c>, or either, the default).</summary>
    public VoxistEndOfStreamMode VoxistEndOfStream { get; set; } = VoxistEndOfStreamMode.Either;

    /// <summary>Send <c>{"status":"connected"}</c> after the upgrade, as the Voxist LiveKit plugin's mock does.</summary>
    public bool VoxistSendConnected { get; set; } = true;

    /// <summary>Voxist: results without a <c>segment</c> field, as the LiveKit plugin's mock sends them.</summary>
    public bool VoxistOmitSegment { get; set; }

    /// <summary>Voxist: answer the first end-of-stream frame (the last finals) and refuse the second with close 1003.</summary>
    public bool VoxistRejectSecondEnd { get; set; }
    /// <summary>Voxist's newer engine (LiveKit plugin, stream.py: "Kroko does NOT close"): <c>{"eof":1}</c> is discarded,
    /// <c>Done</c> is answered with the last finals and a bare <c>Done!</c> text frame, and the socket stays open.</summary>
    public bool VoxistDoneAck { get; set; }

    /// <summary>Send every final twice (Voxist samples show repeated finals per segment).</summary>
    public bool RepeatFinals { get; set; }

    /// <summary>iApp: the completion markers to send.</summary>
    public IAppCompletionMarker IAppCompletion { get; set; } = IAppCompletionMarker.Both;

    /// <summary>iApp: each message carries only the words added since the last one (the seed's prose examples),
    /// instead of the whole sentence so far (its code).</summary>
    public bool IAppIncrementalText { get; set; }

    /// <summary>Smallest: the word array's name, <c>words</c> (AsyncAPI) or <c>word_timestamps</c> (seed).</summary>
    public string SmallestWordsField { get; set; } = "words";

    /// <summary>Smallest: end the stream only on the endpoint's own end message (<c>end</c> on /api/v1/lightning,
    /// <c>finalize</c> on /waves/v1/lightning, <c>close_stream</c> on Pulse and /stt/live); the others flush what is
    /// due (<c>from_finalize</c>) and the stream goes on.</summary>
    public bool SmallestStrictEndMessage { get; set; }
    /// <summary>Smallest's unified route as its AsyncAPI (stt-live-ws.yaml) answers: <c>type:"transcription"</c>,
    /// <c>status:"success"</c>, the text in both <c>transcript</c> and <c>transcription</c>, and <c>full_transcript</c>
    /// (the text so far) on finals.</summary>
    public bool SmallestTranscriptionFrames { get; set; }
    /// <summary>The <c>is_last</c> frame repeats the previous final's transcript (coval-ai/benchmarks
    /// fixtures/smallest/events-success.json, first version) instead of carrying the last final itself.</summary>
    public bool SmallestRepeatLast { get; set; }
    /// <summary>The shape of Smallest's error frame for the error fault.</summary>
    internal SmallestErrorShape SmallestErrorShape { get; set; } = SmallestErrorShape.TopLevel;

    /// <summary>Speechall: a word's text key, <c>word</c> (OpenAPI) or <c>text</c> (seed example).</summary>
    public string SpeechallWordKey { get; set; } = "word";

    /// <summary>VoxNexus: send <c>segment_id</c> on transcripts (seen only in a third-party client).</summary>
    public bool VoxNexusSegmentIds { get; set; }

    /// <summary>VoxNexus TTS: the voice ids accepted; null accepts any (others get VOICE_NOT_FOUND).</summary>
    public IReadOnlySet<string>? VoxNexusVoices { get; set; }

    /// <summary>Keep every connection's audio (<see cref="EmulatedConnection.ReceivedAudio"/>), for tests that compare it.</summary>
    public bool CaptureAudio { get; set; }

    /// <summary>Lifetime of issued tokens (Voxist: 1 hour).</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Voxist: where the token endpoint redirects requests without <c>redirected</c> in their query (a test of
    /// the client's redirect policy); null: no redirect.</summary>
    public Uri? VoxistTokenRedirect { get; set; }

    internal bool Accepts(string? key) =>
        !string.IsNullOrWhiteSpace(key) && (ApiKey is null || string.Equals(ApiKey, key, StringComparison.Ordinal));
}
