namespace SpeechStream.Emulator;

/// <summary>Voxist's error frame, sent by the error fault: <c>{"type":"error","message":…}</c>
/// (src/SpeechStream.Engine/Providers/Voxist/README.md, "Results": the plugin reads it defensively).
/// Written by <see cref="VoxistError.csEmulatorJsonContext"/> (snake_case names, properties in wire order).</summary>
internal sealed record VoxistError
{
    public string Type => "error";
    public required string Message { get; init; }
}
