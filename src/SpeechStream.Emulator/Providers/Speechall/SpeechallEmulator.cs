using System.Text.Json;

namespace SpeechStream.Emulator;

/// <summary>
/// Speechall streaming transcribe, as its protocol document describes it
/// (notes: src/SpeechStream.Engine/Providers/Speechall/README.md): <c>api_key</c> in the
/// query or <c>Authorization: Bearer</c>; <c>model</c> required (400 <c>invalid param</c> without it, as the REST
/// API answers); binary PCM s16le 16 kHz in; one frame per transcript chunk, plain text for
/// <c>output_format=text</c> (the seed's default) or JSON <c>{id, text, language, words[]}</c> with times in
/// seconds for <c>json</c>. The protocol has no end-of-stream message: as a test server should (Speechall README,
/// "End of stream"), the emulator flushes the finals still owed once the client has sent no audio for a second and
/// its recogniser has heard everything, and closes with 1000 when the client closes. Partial results do not exist:
/// only finals are sent.
/// </summary>
internal sealed class SpeechallEmulator : StreamingEmulator
{
    /// <summary>This emulator, as <see cref="EmulatorRegistry"/> lists it.</summary>
    public static EmulatorRegistration Registration { get; } = new("Speechall", o => new SpeechallEmulator(o));

    /// <summary>A Speechall emulator behaving as <paramref name="options"/> say.</summary>
    public SpeechallEmulator(EmulatorOptions options) : base(options) { }

    /// <inheritdoc/>
    public override string Provider => "Speechall";
    /// <inheritdoc/>
    public override string WebSocketPath => "/v1/transcribe";
    /// <inheritdoc/>
    protected override bool NoEndOfStreamMessage => true;

    /// <inheritdoc/>
    protected override (int Status, string Body)? CheckAuth(EmulatorServer server, HttpRequestHead req)
    {
        string? key = Bearer(req) ?? (req.Query.TryGetValue("api_key", out var k) ? k : null);
        if (!Options.Accepts(key))
            return (401, "{\"message\":\"Authentication required. No API key provided.\",\"code\":\"unauthenticated\"}");
        if (!req.Query.TryGetValue("model", out var model) || string.IsNullOrWhiteSpace(model))
            return (400, "{\"message\":\"model is required\",\"code\":\"invalid param\"}");
        return null;
    }

    /// <inheritdoc/>
    protected override Task<int?> OpenAsync(EmulatedStream s, CancellationToken ct) => Task.FromResult<int?>(16000);

    /// <inheritdoc/>
    protected override TextMeaning ClassifyText(EmulatedStream s, string text) =>
        TextMeaning.Wrong($"a text frame, but Speechall defines no client text messages: {Truncate(text)}");

    /// <inheritdoc/>
    protected override Task SendResultAsync(EmulatedStream s, EmittedResult e, CancellationToken ct)
    {
        if (!e.IsFinal) return Task.CompletedTask;
        string format = s.Request.Query.TryGetValue("output_format", out var f) ? f : "text";
        if (format is "text" or "srt" or "vtt") return s.SendAsync(e.Text, ct);
        s.Request.Query.TryGetValue("language", out var lang);
        return s.SendUtf8Async(Json(e, lang ?? "en", Options.SpeechallWordKey), ct);
    }

    /// <summary>A JSON result, written straight to UTF-8 (the word key is a profile setting):
    /// <c>{"id":…,"text":…,"language":…,"words":[{"word":…,"start":…,"end":…,"confidence":…}]}</c>, times in seconds.</summary>
    private static ReadOnlyMemory<byte> Json(EmittedResult e, string language, string wordKey)
    {
        var json = new System.Buffers.ArrayBufferWriter<byte>(256 + 80 * e.Words.Count);
        using (var w = new Utf8JsonWriter(json))
        {
            w.WriteStartObject();
            w.WriteString("id", Guid.NewGuid().ToString());
            w.WriteString("text", e.Text);
            w.WriteString("language", language);
            w.WriteStartArray("words");
            foreach (var word in e.Words)
            {
                w.WriteStartObject();
                w.WriteString(wordKey, word.Text);
                w.WriteNumber("start", Math.Round(word.Start, 3));
                w.WriteNumber("end", Math.Round(word.End, 3));
                w.WriteNumber("confidence", 0.97);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return json.WrittenMemory;
    }

    /// <summary>No completion signal exists.</summary>
    protected override Task SendCompletionAsync(EmulatedStream s, CancellationToken ct) => Task.CompletedTask;

    /// <summary>No partial results exist.</summary>
    protected override EmittedResult? FloodPartial(EmulatedStream s, int i) => null;
}
