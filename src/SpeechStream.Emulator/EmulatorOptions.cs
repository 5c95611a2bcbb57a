namespace SpeechStream.Emulator;

/// <summary>Which end-of-stream signal a Voxist emulator honours (protocols.md, Voxist ambiguity 1).</summary>
public enum VoxistEndOfStreamMode
{
    /// <summary>Either <c>{"eof":1}</c> or <c>Done</c> ends the stream (what a test server should accept).</summary>
    Either,
    /// <summary>Only <c>{"eof":1}</c>, as in the seed; <c>Done</c> is an unknown frame.</summary>
    EofOnly,
    /// <summary>Only <c>Done</c>, as in the newer samples; <c>{"eof":1}</c> is discarded.</summary>
    DoneOnly,
}

/// <summary>How an emulator behaves.</summary>
public sealed class EmulatorOptions
{
    /// <summary>The API key the emulator accepts; null accepts any non-empty key.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The transcript to replay; null finds voiced regions by energy and sends placeholder text.</summary>
    public TranscriptScript? Script { get; set; }

    public EmulatorFaults Faults { get; set; } = new();

    public VoxistEndOfStreamMode VoxistEndOfStream { get; set; } = VoxistEndOfStreamMode.Either;

    /// <summary>Send <c>{"status":"connected"}</c> after the upgrade, as the Voxist LiveKit plugin's mock does.</summary>
    public bool VoxistSendConnected { get; set; } = true;

    /// <summary>Send every final twice (Voxist samples show repeated finals per segment).</summary>
    public bool RepeatFinals { get; set; }

    /// <summary>iApp: the completion marker to send (seed prose vs code).</summary>
    public IAppCompletionMarker IAppCompletion { get; set; } = IAppCompletionMarker.EndOfProcess;

    /// <summary>Smallest: the word array's name, <c>words</c> (AsyncAPI) or <c>word_timestamps</c> (seed).</summary>
    public string SmallestWordsField { get; set; } = "words";

    /// <summary>Speechall: a word's text key, <c>word</c> (OpenAPI) or <c>text</c> (seed example).</summary>
    public string SpeechallWordKey { get; set; } = "word";

    /// <summary>VoxNexus TTS: the voice ids accepted; null accepts any (others get VOICE_NOT_FOUND).</summary>
    public IReadOnlySet<string>? VoxNexusVoices { get; set; }

    /// <summary>Keep every connection's audio (<see cref="EmulatedConnection.ReceivedAudio"/>), for tests that compare it.</summary>
    public bool CaptureAudio { get; set; }

    /// <summary>Lifetime of issued tokens (Voxist: 1 hour).</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    internal bool Accepts(string? key) =>
        !string.IsNullOrWhiteSpace(key) && (ApiKey is null || string.Equals(ApiKey, key, StringComparison.Ordinal));
}

/// <summary>The emulators there are, by provider name.</summary>
public static class EmulatorRegistry
{
    public static IReadOnlyList<string> Providers { get; } = new[] { "Voxist", "IApp", "Smallest", "VoxNexus", "Speechall" };

    public static ProviderEmulator Create(string provider, EmulatorOptions options) =>
        provider.Trim().ToLowerInvariant() switch
        {
            "voxist" => new VoxistEmulator(options),
            "iapp" => new IAppEmulator(options),
            "smallest" => new SmallestEmulator(options),
            "voxnexus" => new VoxNexusEmulator(options),
            "speechall" => new SpeechallEmulator(options),
            _ => throw new SpeechStream.Engine.AsrException(SpeechStream.Engine.AsrErrorKind.InvalidInput, "EmulatorUnknown",
                $"There is no emulator for provider '{provider}'. Expected one of: {string.Join(", ", Providers)}."),
        };
}

/// <summary>Starts an emulator for <c>--emulate</c>/<c>-Emulate</c>: the script is the file's sidecar JSON
/// (<c>call.wav</c> → <c>call.json</c>) when there is one.</summary>
public static class EmulatorHost
{
    /// <summary>The key clients send to an emulator.</summary>
    public const string ApiKey = "emulator-key";

    public static EmulatorServer StartForFile(string provider, string? audioPath, string? transcriptPath = null)
    {
        string? sidecar = transcriptPath;
        if (sidecar is null && audioPath is not null)
        {
            var candidate = Path.ChangeExtension(audioPath, ".json");
            if (File.Exists(candidate)) sidecar = candidate;
        }
        return EmulatorServer.Start(provider, new EmulatorOptions { Script = sidecar is null ? null : TranscriptScript.Load(sidecar) });
    }
}
