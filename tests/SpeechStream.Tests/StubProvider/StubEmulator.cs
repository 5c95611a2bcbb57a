using SpeechStream.Emulator;

namespace SpeechStream.Tests.StubProvider;

/// <summary>The stub provider's emulator (this folder's README.md is its protocol), registered like the built-in
/// ones through <see cref="Registration"/>.</summary>
internal sealed class StubEmulator(EmulatorOptions options) : StreamingEmulator(options)
{
    /// <summary>This emulator, as <see cref="EmulatorRegistry"/> will list it once registered.</summary>
    public static EmulatorRegistration Registration { get; } = new(StubProtocol.ProviderName, o => new StubEmulator(o));

    public override string Provider => StubProtocol.ProviderName;
    public override string WebSocketPath => "/v1/listen";

    protected override (int Status, string Body)? CheckAuth(EmulatorServer server, HttpRequestHead req) =>
        Options.Accepts(req.Header("X-Stub-Key")) ? null : (401, "{\"message\":\"no key\"}");

    protected override Task<int?> OpenAsync(EmulatedStream s, CancellationToken ct) => Task.FromResult<int?>(16000);

    protected override TextMeaning ClassifyText(EmulatedStream s, string text) =>
        JsonHas(text, "type", "end") ? TextMeaning.End : TextMeaning.Wrong($"unexpected text frame: {Truncate(text)}");

    protected override Task SendResultAsync(EmulatedStream s, EmittedResult e, CancellationToken ct)
    {
        s.LastSegmentSent = Math.Max(s.LastSegmentSent, e.Segment);
        var json = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new System.Text.Json.Utf8JsonWriter(json))
        {
            w.WriteStartObject();
            w.WriteNumber("segment", e.Segment);
            w.WriteBoolean("final", e.IsFinal);
            w.WriteString("text", e.Text);
            w.WriteNumber("start", e.Start);
            w.WriteNumber("end", e.End);
            w.WriteEndObject();
        }
        return s.SendUtf8Async(json.WrittenMemory, ct);
    }

    protected override Task SendCompletionAsync(EmulatedStream s, CancellationToken ct) => s.SendAsync("{\"type\":\"done\"}", ct);
}
