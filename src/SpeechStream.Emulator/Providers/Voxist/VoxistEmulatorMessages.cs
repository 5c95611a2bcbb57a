using System.Text.Json.Serialization;

namespace SpeechStream.Emulator;

// The JSON messages the Voxist emulator sends, one record per shape, written by EmulatorJsonContext (snake_case, nulls
// written unless marked). Properties are in wire order. Source: the emulator's seed document.

/// <summary>Voxist's token exchange answer (seed 000_…): <c>{"url":"ws://…/ws?token=JWT"}</c>.</summary>
internal sealed record VoxistToken(string Url);

/// <summary>Voxist's error frame: <c>{"type":"error","message":…}</c>.</summary>
internal sealed record VoxistError
{
    public string Type => "error";
    public required string Message { get; init; }
}
