namespace SpeechStream.Emulator;

/// <summary>Smallest's typed error frame, <c>{"type":"error","error_code":…,"message":…}</c>
/// (<see cref="SmallestErrorShape.Typed"/>; src/SpeechStream.Engine/Providers/Smallest/README.md, "Errors").
/// Written by <see cref="SmallestTypedError.csEmulatorJsonContext"/> (snake_case names, properties in wire order).</summary>
internal sealed record SmallestTypedError
{
    public string Type => "error";
    public required string ErrorCode { get; init; }
    public required string Message { get; init; }
}
