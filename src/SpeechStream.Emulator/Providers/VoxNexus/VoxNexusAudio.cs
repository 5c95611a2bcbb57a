namespace SpeechStream.Emulator;

/// <summary>A VoxNexus TTS audio frame, <c>{"type":"audio","data":"&lt;base64&gt;","is_final":…}</c>
/// (src/SpeechStream.Engine/Providers/VoxNexus/README.md, "TTS").
/// Written by <see cref="VoxNexusAudio.csEmulatorJsonContext"/> (snake_case names, properties in wire order).</summary>
internal sealed record VoxNexusAudio
{
    public string Type => "audio";
    public required string Data { get; init; }
    public required bool IsFinal { get; init; }
}
