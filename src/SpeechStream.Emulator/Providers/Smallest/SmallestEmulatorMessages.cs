using System.Text.Json.Serialization;

namespace SpeechStream.Emulator;

// The JSON messages the Smallest emulator sends, one record per shape, written by EmulatorJsonContext (snake_case, nulls
// written unless marked). Properties are in wire order. Source: the emulator's seed document.

/// <summary>Smallest's top-level error frame (seed 002_…): <c>{"error":…,"code":…}</c>.</summary>
internal sealed record SmallestPlainError(string Error, string Code);

/// <summary>Smallest's typed error frame: <c>{"type":"error","error_code":…,"message":…}</c>.</summary>
internal sealed record SmallestTypedError
{
    public string Type => "error";
    public required string ErrorCode { get; init; }
    public required string Message { get; init; }
}

/// <summary>Smallest's status error frame: <c>{"status":"error","error":{"message":…,"code":…}}</c>.</summary>
internal sealed record SmallestStatusError
{
    public string Status => "error";
    public required SmallestErrorBody Error { get; init; }
}

/// <summary>The <c>error</c> object of <see cref="SmallestStatusError"/>: <c>{"message":…,"code":…}</c>.</summary>
internal sealed record SmallestErrorBody(string Message, string Code);
