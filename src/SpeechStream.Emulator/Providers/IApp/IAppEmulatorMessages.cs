using System.Text.Json.Serialization;

namespace SpeechStream.Emulator;

// The JSON messages the IApp emulator sends, one record per shape, written by EmulatorJsonContext (snake_case, nulls
// written unless marked). Properties are in wire order. Source: the emulator's seed document.

/// <summary>An iApp result or completion marker (seed 001_…): <c>{"type":"realtime","state":…,"text":…}</c>; a
/// marker has no <c>state</c>.</summary>
internal sealed record IAppRealtime
{
    public string Type => "realtime";
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? State { get; init; }
    public required string Text { get; init; }
}
