namespace SpeechStream.Emulator;

/// <summary>VoxNexus's completion frame, the answer to <c>flush</c> after the last finals:
/// <c>{"type":"flush_done","request_id":…}</c>
/// (src/SpeechStream.Engine/Providers/VoxNexus/README.md, "End of stream and completion").
/// Written by <see cref="VoxNexusFlushDone.csEmulatorJsonContext"/> (snake_case names, properties in wire order).</summary>
internal sealed record VoxNexusFlushDone
{
    public string Type => "flush_done";
    public required string RequestId { get; init; }
}
