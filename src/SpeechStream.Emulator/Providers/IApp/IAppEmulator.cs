namespace SpeechStream.Emulator;

/// <summary>
/// iApp <c>asrx</c>, as its protocol document describes it
/// (notes: src/SpeechStream.Engine/Providers/IApp/README.md): the upgrade must carry header
/// <c>apikey</c> (401 otherwise, as iApp's REST API answers); binary PCM s16le 16 kHz in; results are
/// <c>{"type":"realtime","state":"Sentence"|"NewSentence","text"}</c> where each message holds the whole current
/// sentence and <c>NewSentence</c> opens the next one; <c>{"data":{"status":"CloseConnection"}}</c> (or the prose's
/// "end of stream") ends the stream, answered by the completion markers (by default <c>end_of_process</c> then
/// <c>Confirm Close Connection</c>, which both the prose and the seed's sample client complete against; profiles
/// send one, or the other order); then the client closes. A profile sends incremental text (the prose's examples).
/// </summary>
internal sealed class IAppEmulator : StreamingEmulator
{
    /// <summary>This emulator, as <see cref="EmulatorRegistry"/> lists it.</summary>
    public static EmulatorRegistration Registration { get; } = new("IApp", o => new IAppEmulator(o))
    {
        Profiles = Profiles(),
    };

    /// <summary>The server behaviours only this provider's document leaves open (<see cref="EmulatorProfiles"/>).</summary>
    private static EmulatorProfile[] Profiles()
    {
        string[] only = ["IApp"];
        return
        [
            new("end-of-process-only", "Completes with end_of_process only (the seed's prose).", only, o => o.IAppCompletion = IAppCompletionMarker.EndOfProcess),
            new("confirm-only", "Completes with Confirm Close Connection only (the seed's code).", only, o => o.IAppCompletion = IAppCompletionMarker.ConfirmCloseConnection),
            new("markers-reversed", "Completes with Confirm Close Connection, then end_of_process.", only, o => o.IAppCompletion = IAppCompletionMarker.BothReversed),
            new("incremental-text", "Each message carries only the words added to the sentence (the seed's prose examples).", only, o => o.IAppIncrementalText = true),
        ];
    }

    /// <summary>A iApp emulator behaving as <paramref name="options"/> say.</summary>
    public IAppEmulator(EmulatorOptions options) : base(options) { }

    /// <inheritdoc/>
    public override string Provider => "IApp";
    /// <inheritdoc/>
    public override string WebSocketPath => "/asrx";

    /// <inheritdoc/>
    protected override bool ServesPath(string path) => path is "/asrx" or "/asr";

    /// <inheritdoc/>
    protected override (int Status, string Body)? CheckAuth(EmulatorServer server, HttpRequestHead req)
    {
        if (req.Query.Count > 0) server.Violation($"iApp takes no query parameters (got {Redacted(req)})");
        return Options.Accepts(req.Header("apikey")) ? null : (401, "{\"message\":\"Invalid or missing apikey\"}");
    }

    /// <inheritdoc/>
    protected override Task<int?> OpenAsync(EmulatedStream s, CancellationToken ct) => Task.FromResult<int?>(16000);

    /// <inheritdoc/>
    protected override TextMeaning ClassifyText(EmulatedStream s, string text)
    {
        try
        {
            using var d = System.Text.Json.JsonDocument.Parse(text);
            if (d.RootElement.TryGetProperty("data", out var data) && data.ValueKind == System.Text.Json.JsonValueKind.Object
                && data.TryGetProperty("status", out var st) && st.GetString() is "CloseConnection" or "end of stream")
                return TextMeaning.End;
        }
        catch (System.Text.Json.JsonException) { }
        return TextMeaning.Wrong($"unexpected text frame: {Truncate(text)}");
    }

    /// <summary>Each result is the sentence so far (or, incremental, the words added since the last message); the
    /// first message of every sentence after the first is <c>NewSentence</c>.</summary>
    protected override Task SendResultAsync(EmulatedStream s, EmittedResult e, CancellationToken ct)
    {
        bool newSentence = e.Segment > s.LastSegmentSent && s.LastSegmentSent >= 0;
        if (e.Segment != s.LastSegmentSent) s.LastText = "";
        string state = newSentence ? "NewSentence" : "Sentence";
        s.LastSegmentSent = Math.Max(s.LastSegmentSent, e.Segment);
        string text = e.Text;
        if (Options.IAppIncrementalText)
        {
            string added = text.StartsWith(s.LastText, StringComparison.Ordinal) ? text[s.LastText.Length..].Trim() : text;
            s.LastText = text;
            if (added.Length == 0) return Task.CompletedTask; // a final that adds nothing: the sentence is as sent
            text = added;
        }
        return s.SendJsonAsync(new IAppRealtime { State = state, Text = text + " " }, IAppEmulatorJsonContext.Default.IAppRealtime, ct);
    }

    /// <inheritdoc/>
    protected override async Task SendCompletionAsync(EmulatedStream s, CancellationToken ct)
    {
        var markers = Options.IAppCompletion switch
        {
            IAppCompletionMarker.EndOfProcess => new[] { "end_of_process" },
            IAppCompletionMarker.ConfirmCloseConnection => new[] { "Confirm Close Connection" },
            IAppCompletionMarker.BothReversed => new[] { "Confirm Close Connection", "end_of_process" },
            _ => new[] { "end_of_process", "Confirm Close Connection" },
        };
        foreach (var marker in markers) await s.SendJsonAsync(new IAppRealtime { Text = marker }, IAppEmulatorJsonContext.Default.IAppRealtime, ct);
        // "client will be the one to close the connection"
    }
}
