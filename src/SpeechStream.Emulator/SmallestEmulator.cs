using System.Text.Json;

namespace SpeechStream.Emulator;

/// <summary>
/// Smallest.ai Lightning STT, as seed <c>002_6b03356797425578.txt</c> describes it: <c>Authorization: Bearer</c>
/// (or <c>?token=</c>), configuration in the query (<c>language</c>, <c>encoding</c>, <c>sample_rate</c>,
/// <c>word_timestamps</c>, …), binary audio in, <c>{session_id, transcript, is_final, is_last, …}</c> out with words
/// in seconds under <c>words</c> or the seed's <c>word_timestamps</c>; <c>{"type":"end"}</c> ends the stream
/// (and, as protocols.md asks of a test server, <c>finalize</c> and <c>close_stream</c> too); the last final
/// carries <c>is_last: true</c> and the client closes. Serves the seed path and the Pulse/unified paths.
/// </summary>
public sealed class SmallestEmulator : StreamingEmulator
{
    private static readonly string[] Encodings = { "linear16", "linear32", "alaw", "mulaw", "opus", "ogg_opus" };

    public SmallestEmulator(EmulatorOptions options) : base(options) { }

    public override string Provider => "Smallest";
    public override string WebSocketPath => "/api/v1/lightning/get_text";

    protected override bool ServesPath(string path) => path.EndsWith("/get_text", StringComparison.Ordinal) || path.EndsWith("/stt/live", StringComparison.Ordinal);

    protected override (int Status, string Body)? CheckAuth(EmulatorServer server, HttpRequestHead req)
    {
        string? key = Bearer(req) ?? (req.Query.TryGetValue("token", out var t) ? t : null);
        return Options.Accepts(key) ? null : (401, "{\"message\":\"Missing or invalid Authorization\"}");
    }

    protected override Task<int?> OpenAsync(EmulatedStream s, CancellationToken ct)
    {
        var q = s.Request.Query;
        foreach (var name in new[] { "language", "encoding", "sample_rate", "word_timestamps" })
            if (!q.ContainsKey(name)) s.Server.Violation($"Smallest query lacks '{name}' (protocols.md: always send it explicitly)");
        if (q.TryGetValue("encoding", out var enc) && !Encodings.Contains(enc)) s.Server.Violation($"unknown encoding '{enc}'");
        if (enc is not null and not "linear16") s.Server.Violation($"the client declared encoding '{enc}' but sends PCM s16le");
        return Task.FromResult<int?>(q.TryGetValue("sample_rate", out var sr) && int.TryParse(sr, out var r) && r > 0 ? r : 16000);
    }

    protected override TextMeaning ClassifyText(EmulatedStream s, string text) =>
        JsonHas(text, "type", "end") || JsonHas(text, "type", "finalize") || JsonHas(text, "type", "close_stream")
            ? TextMeaning.End
            : TextMeaning.Wrong($"unexpected text frame: {Truncate(text)}");

    protected override Task SendResultAsync(EmulatedStream s, EmittedResult e, CancellationToken ct) =>
        s.SendAsync(Json(s, e, isLast: false), ct);

    private string Json(EmulatedStream s, EmittedResult? e, bool isLast)
    {
        var m = new Dictionary<string, object?>
        {
            ["session_id"] = "sess_" + s.Record.GetHashCode().ToString("x8"),
            ["transcript"] = e?.Text ?? "",
            ["is_final"] = e?.IsFinal ?? true,
            ["is_last"] = isLast,
        };
        bool words = s.Request.Query.TryGetValue("word_timestamps", out var wt) && wt == "true";
        if (e is { IsFinal: true })
        {
            s.Request.Query.TryGetValue("language", out var lang);
            m["language"] = lang ?? "en";
            if (words)
                m[Options.SmallestWordsField] = e.Words.Select(w => new { word = w.Text, start = Math.Round(w.Start, 3), end = Math.Round(w.End, 3), confidence = 0.97 }).ToArray();
        }
        return JsonSerializer.Serialize(m);
    }

    /// <summary>The last finals; the very last message carries <c>is_last: true</c> (an empty final when nothing is owed).</summary>
    protected override async Task<bool> CompleteAsync(EmulatedStream s, IReadOnlyList<EmittedResult> last, CancellationToken ct)
    {
        for (int i = 0; i < last.Count; i++) await s.SendAsync(Json(s, last[i], isLast: i == last.Count - 1), ct);
        if (last.Count == 0) await s.SendAsync(Json(s, null, isLast: true), ct);
        return false; // the seed client closes after is_last
    }

    protected override string? ErrorFrame(string code, string message) =>
        JsonSerializer.Serialize(new { status = "error", error = new { message, code } });
}
