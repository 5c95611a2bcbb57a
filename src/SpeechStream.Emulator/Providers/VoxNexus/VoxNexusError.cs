namespace SpeechStream.Emulator;

/// <summary>VoxNexus's error frame, <c>{"type":"error","error":…,"code":…,"request_id":…}</c>, for STT and TTS alike
/// (src/SpeechStream.Engine/Providers/VoxNexus/README.md, "Handshake" and "TTS").
/// Written by <see cref="VoxNexusError.csEmulatorJsonContext"/> (snake_case names, properties in wire order).</summary>
internal sealed record VoxNexusError
{
    public string Type => "error";
    public required string Error { get; init; }
    public required string Code { get; init; }
    public required string RequestId { get; init; }
}
