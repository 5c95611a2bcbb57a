namespace SpeechStream.Emulator;

/// <summary>Smallest's legacy status error frame, <c>{"status":"error","error":{"message":…,"code":…}}</c>
/// (<see cref="SmallestErrorShape.Status"/>; src/SpeechStream.Engine/Providers/Smallest/README.md, "Errors").
/// Written by <see cref="SmallestStatusError.csEmulatorJsonContext"/> (snake_case names, properties in wire order).</summary>
internal sealed record SmallestStatusError
{
    public string Status => "error";
    public required SmallestErrorBody Error { get; init; }
}
