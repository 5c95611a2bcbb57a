namespace SpeechStream.Emulator;

/// <summary>VoxNexus TTS's answer to <c>init</c>,
/// <c>{"type":"ready","request_id":…,"voice_id":…,"language":…,"format":…,"sample_rate":…}</c>, <c>voice_id</c> and
/// <c>language</c> null when the client sent none (src/SpeechStream.Engine/Providers/VoxNexus/README.md, "TTS").
/// Written by <see cref="VoxNexusTtsReady.csEmulatorJsonContext"/> (snake_case names, properties in wire order).</summary>
internal sealed record VoxNexusTtsReady
{
    public string Type => "ready";
    public required string RequestId { get; init; }
    public required string? VoiceId { get; init; }
    public required string? Language { get; init; }
    public required string Format { get; init; }
    public required int SampleRate { get; init; }
}
