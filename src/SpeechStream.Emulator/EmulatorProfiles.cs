namespace SpeechStream.Emulator;

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

    /// <summary>Every profile: those of every provider, then the error frame for the providers that send one, then
    /// each provider's own (<see cref="EmulatorRegistration.Profiles"/>, in its emulator's folder).</summary>
    public static IReadOnlyList<EmulatorProfile> All =>
    [
        .. Common,
        new("error-frame", "After 1 s of audio sends the provider's error frame (Smallest: the top-level {\"error\",\"code\"} its cookbook reads), then closes 1011.",
            EmulatorRegistry.All.Where(r => r.SendsErrorFrames).Select(r => r.Provider).ToArray(), o => ErrorThenClose(o, SmallestErrorShape.TopLevel)),
        .. EmulatorRegistry.All.SelectMany(r => r.Profiles),
    ];

    private static readonly EmulatorProfile[] Common =
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
    };

    /// <summary>An error frame after 1 s of audio (a language the region does not serve: a refusal), then a close 1011.</summary>
    internal static void ErrorThenClose(EmulatorOptions o, SmallestErrorShape shape)
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
