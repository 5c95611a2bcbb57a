namespace SpeechStream.Emulator;

/// <summary>A named server behaviour: what it does, the providers it applies to (null: every provider), and how it
/// sets the options.</summary>
public sealed record EmulatorProfile(string Name, string Description, IReadOnlyList<string>? Providers, Action<EmulatorOptions> Apply)
{
    public bool AppliesTo(string provider) => Providers is null || Providers.Contains(provider, StringComparer.OrdinalIgnoreCase);
}

/// <summary>
/// The server behaviours a provider could plausibly have that its document leaves open, each as a profile the
/// client is tested against (<c>speechstream emulate --profile NAME</c>, <c>--emulator-profile</c>, several joined by
/// commas). The default profile is what each seed's own sample client completes against. Each provider's README lists
/// the profiles that concern it and the outcome the client gives.
/// </summary>
public static class EmulatorProfiles
{
    /// <summary>Seconds of audio after which the mid-stream faults fire.</summary>
    public const double FaultAtSeconds = 3;

    public static IReadOnlyList<EmulatorProfile> All { get; } = new EmulatorProfile[]
    {
        new("default", "What the seed's sample client completes against.", null, _ => { }),
        Close("1001", 1001, "going away (a deploy, an evicted pod)"),
        new("close-1000", $"Closes 1000 (normal closure) after {FaultAtSeconds} s of audio, on the first connection, with results still owed and no completion signal.", null,
            o => { o.Faults.CloseAfterAudioSeconds = FaultAtSeconds; o.Faults.CloseCode = 1000; o.Faults.CloseReason = ""; }),
        new("drop-1006", $"Drops the TCP connection without a close frame after {FaultAtSeconds} s of audio, on the first connection.", null,
            o => o.Faults.DropAfterAudioSeconds = FaultAtSeconds),
        Close("1011", 1011, "internal error"),
        Close("1012", 1012, "service restart"),
        Close("1013", 1013, "try again later"),
        new("drop-during-drain", "Drops the connection when the end of stream arrives, before answering it, on the first connection.", null,
            o => o.Faults.DropAtEndOfStreamTimes = 1),
        new("close-without-completion", "Closes 1000 as soon as the end of stream arrives, without the last results or the completion signal.", null,
            o => o.Faults.CloseWithoutCompletion = true),
        new("late-final", "Sends the completion signal first and the last results 300 ms after it.", null,
            o => o.Faults.ResultsAfterCompletion = TimeSpan.FromMilliseconds(300)),
        new("realtime", "Recognises at real time whatever the upload speed: results of a fast upload come over the audio's duration.", null,
            o => o.RecogniserSpeed = 1),
        new("stall", "Never answers the end of stream (nor closes).", null, o => o.Faults.StallAfterEndOfStream = true),
        new("auth-401", "Refuses every upgrade with HTTP 401.", null, o => { o.Faults.RejectFromHandshake = 1; o.Faults.RejectStatus = 401; }),
        new("auth-403", "Refuses every upgrade with HTTP 403.", null, o => { o.Faults.RejectFromHandshake = 1; o.Faults.RejectStatus = 403; }),
        new("auth-1008", "Accepts the upgrade, then closes 1008 \"Invalid API key\".", null, o => o.Faults.CloseAfterUpgradeReason = "Invalid API key"),
        new("partial-flood", "After 1 s of audio sends 100,000 partial results at once, each opening a new segment where the protocol numbers segments.", null,
            o => { o.Faults.PartialFloodAfterAudioSeconds = 1; o.VoxNexusSegmentIds = true; }),
        new("invalid-utf8", "Sends one text frame that is not valid UTF-8 after 2 s of audio, on the first connection.", null,
            o => o.Faults.InvalidUtf8AfterAudioSeconds = 2),
        new("oversized-frame", "Sends one 5 MiB text frame (over the client's 4 MiB limit) after 2 s of audio, on the first connection.", null,
            o => o.Faults.OversizedFrameAfterAudioSeconds = 2),
        new("no-segment", "Sends results without a segment field, as the Voxist LiveKit plugin's mock does.", new[] { "Voxist" }, o => o.VoxistOmitSegment = true),
        new("eof-only", "Ends the stream on {\"eof\":1} only (the seed); Done is an unknown frame.", new[] { "Voxist" }, o => o.VoxistEndOfStream = VoxistEndOfStreamMode.EofOnly),
        new("done-only", "Ends the stream on Done only (the newer samples); {\"eof\":1} is discarded.", new[] { "Voxist" }, o => o.VoxistEndOfStream = VoxistEndOfStreamMode.DoneOnly),
        new("reject-second-end", "Answers the first end-of-stream frame, then closes 1003 on the second.", new[] { "Voxist" }, o => o.VoxistRejectSecondEnd = true),
        new("done-ack", "Voxist's newer engine (LiveKit plugin): {\"eof\":1} is discarded; Done is answered with the last finals and a bare Done! text frame, and the socket is held open.",
            new[] { "Voxist" }, o => { o.VoxistDoneAck = true; o.VoxistEndOfStream = VoxistEndOfStreamMode.DoneOnly; }),
        new("error-frame", "After 1 s of audio sends the provider's error frame (Smallest: the top-level {\"error\",\"code\"} its cookbook reads), then closes 1011.",
            new[] { "Voxist", "Smallest", "VoxNexus" }, o => ErrorThenClose(o, SmallestErrorShape.TopLevel)),
        new("error-typed", "After 1 s of audio sends {\"type\":\"error\",\"error_code\",\"message\"} (Smallest's changelog), then closes 1011.",
            new[] { "Smallest" }, o => ErrorThenClose(o, SmallestErrorShape.Typed)),
        new("error-status", "After 1 s of audio sends the legacy {\"status\":\"error\",\"error\":{message,code}}, then closes 1011.",
            new[] { "Smallest" }, o => ErrorThenClose(o, SmallestErrorShape.Status)),
        new("unified", "As Smallest's unified route answers (stt-live-ws.yaml): type:\"transcription\" frames with transcript, transcription and full_transcript; close_stream ends the stream, finalize only flushes.",
            new[] { "Smallest" }, o => { o.SmallestTranscriptionFrames = true; o.SmallestStrictEndMessage = true; }),
        new("repeat-last", "The is_last frame repeats the previous final's transcript (coval-ai/benchmarks' first Smallest fixture).",
            new[] { "Smallest" }, o => o.SmallestRepeatLast = true),
        new("end-of-process-only", "Completes with end_of_process only (the seed's prose).", new[] { "IApp" }, o => o.IAppCompletion = IAppCompletionMarker.EndOfProcess),
        new("confirm-only", "Completes with Confirm Close Connection only (the seed's code).", new[] { "IApp" }, o => o.IAppCompletion = IAppCompletionMarker.ConfirmCloseConnection),
        new("markers-reversed", "Completes with Confirm Close Connection, then end_of_process.", new[] { "IApp" }, o => o.IAppCompletion = IAppCompletionMarker.BothReversed),
        new("incremental-text", "Each message carries only the words added to the sentence (the seed's prose examples).", new[] { "IApp" }, o => o.IAppIncrementalText = true),
        new("strict-end-message", "Ends the stream only on the endpoint's own end message; the others flush and the stream goes on.", new[] { "Smallest" },
            o => o.SmallestStrictEndMessage = true),
    };

    /// <summary>An error frame after 1 s of audio (a language the region does not serve: a refusal), then a close 1011.</summary>
    private static void ErrorThenClose(EmulatorOptions o, SmallestErrorShape shape)
    {
        o.Faults.ErrorAfterAudioSeconds = 1;
        o.Faults.ErrorCode = "LANGUAGE_NOT_ENABLED_IN_REGION";
        o.Faults.ErrorMessage = "Language has not been enabled in this region. Please contact support to request access.";
        o.Faults.CloseAfterError = 1011;
        o.SmallestErrorShape = shape;
    }

    private static EmulatorProfile Close(string name, int code, string what) =>
        new($"close-{name}", $"Closes {code} ({what}) after {FaultAtSeconds} s of audio, on the first connection.", null, o =>
        {
            o.Faults.CloseAfterAudioSeconds = FaultAtSeconds;
            o.Faults.CloseCode = code;
            o.Faults.CloseReason = what;
        });

    /// <summary>The profiles that apply to <paramref name="provider"/>.</summary>
    public static IEnumerable<EmulatorProfile> For(string provider) => All.Where(p => p.AppliesTo(provider));

    /// <summary>True when the provider numbers its segments (the flood opens new ones).</summary>
    internal static bool NumbersSegments(string provider) => EmulatorRegistry.Find(provider)?.NumbersSegments ?? false;

    /// <summary>Applies profiles named in <paramref name="names"/> (comma-separated) to <paramref name="options"/>.</summary>
    /// <exception cref="SpeechStream.Engine.AsrException">InvalidInput naming an unknown profile, or one that does not
    /// apply to the provider, and listing those that do.</exception>
    public static EmulatorOptions Apply(EmulatorOptions options, string provider, string? names)
    {
        foreach (var name in (names ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var profile = All.FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
            if (profile is null || !profile.AppliesTo(provider))
                throw new SpeechStream.Engine.AsrException(SpeechStream.Engine.AsrErrorKind.InvalidInput, "EmulatorProfileUnknown",
                    $"The {provider} emulator has no profile '{name}'. Expected one of: {string.Join(", ", For(provider).Select(p => p.Name))}.");
            profile.Apply(options);
        }
        return options;
    }
}
