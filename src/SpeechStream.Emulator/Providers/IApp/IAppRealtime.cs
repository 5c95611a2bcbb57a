using System.Text.Json.Serialization;

namespace SpeechStream.Emulator;

/// <summary>An iApp result frame or completion marker: <c>{"type":"realtime","state":…,"text":…}</c>; a marker has no
/// <c>state</c> (src/SpeechStream.Engine/Providers/IApp/README.md, "Results" and "Completion").
/// Written by <see cref="IAppRealtime.csEmulatorJsonContext"/> (snake_case names, properties in wire order).</summary>
internal sealed record IAppRealtime
{
    public string Type => "realtime";
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? State { get; init; }
    public required string Text { get; init; }
}
