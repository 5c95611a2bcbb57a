namespace SpeechStream.Emulator;

/// <summary>Which completion marker an iApp emulator sends (seed 001_…: prose vs code; protocols.md, iApp ambiguity 2).</summary>
public enum IAppCompletionMarker
{
    /// <summary><c>{"type":"realtime","text":"end_of_process"}</c>, as the seed's prose says.</summary>
    EndOfProcess,
    /// <summary><c>{"type":"realtime","text":"Confirm Close Connection"}</c>, as the seed's sample code checks.</summary>
    ConfirmCloseConnection,
}

/// <summary>
/// iApp <c>asrx</c>, as seed <c>001_42ac4221499e0d06.txt</c> describes it: the upgrade must carry header
/// <c>apikey</c> (401 otherwise, as iApp's REST API answers); binary PCM s16le 16 kHz in; results are
/// <c>{"type":"realtime","state":"Sentence"|"NewSentence","text"}</c> where each message holds the whole current
/// sentence and <c>NewSentence</c> opens the next one; <c>{"data":{"status":"CloseConnection"}}</c> (or the prose's
/// "end of stream") ends the stream, answered by the completion marker; then the client closes.
/// </summary>
public sealed class IAppEmulator : StreamingEmulator
{
    public IAppEmulator(EmulatorOptions options) : base(options) { }

    public override string Provider => "IApp";
    public override string WebSocketPath => "/asrx";

    protected override bool ServesPath(string path) => path is "/asrx" or "/asr";

    protected override (int Status, string Body)? CheckAuth(EmulatorServer server, HttpRequestHead req)
    {
        if (req.Query.Count > 0) server.Violation($"iApp takes no query parameters (got {Redacted(req)})");
        return Options.Accepts(req.Header("apikey")) ? null : (401, "{\"message\":\"Invalid or missing apikey\"}");
    }

    protected override Task<int?> OpenAsync(EmulatedStream s, CancellationToken ct) => Task.FromResult<int?>(16000);

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

    /// <summary>Each result is the sentence so far; the first message of every sentence after the first is <c>NewSentence</c>.</summary>
    protected override Task SendResultAsync(EmulatedStream s, EmittedResult e, CancellationToken ct)
    {
        string state = e.Segment > s.LastSegmentSent && s.LastSegmentSent >= 0 ? "NewSentence" : "Sentence";
        s.LastSegmentSent = Math.Max(s.LastSegmentSent, e.Segment);
        return s.SendJsonAsync(new { type = "realtime", state, text = e.Text + " " }, ct);
    }

    protected override async Task<bool> CompleteAsync(EmulatedStream s, IReadOnlyList<EmittedResult> last, CancellationToken ct)
    {
        foreach (var e in last) await SendResultAsync(s, e, ct);
        string marker = Options.IAppCompletion == IAppCompletionMarker.EndOfProcess ? "end_of_process" : "Confirm Close Connection";
        await s.SendJsonAsync(new { type = "realtime", text = marker }, ct);
        return false; // "client will be the one to close the connection"
    }
}
