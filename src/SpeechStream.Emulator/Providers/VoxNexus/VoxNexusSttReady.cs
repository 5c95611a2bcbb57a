namespace SpeechStream.Emulator;

/// <summary>VoxNexus STT's answer to <c>init</c>,
/// <c>{"type":"ready","request_id":…,"language":…,"format":…,"sample_rate":…}</c>
/// (src/SpeechStream.Engine/Providers/VoxNexus/README.md, "Handshake").
/// Written by <see cref="VoxNexusSttReady.csEmulatorJsonContext"/> (snake_case names, properties in wire order).</summary>
internal sealed record VoxNexusSttReady
{
    public string Type => "ready";
    public required string RequestId { get; init; }
    public required string Language { get; init; }
    public required string Format { get; init; }
    public required int SampleRate { get; init; }
}
