using System.Text.Json.Serialization;

namespace SpeechStream.Emulator;

/// <summary>A VoxNexus STT result frame,
/// <c>{"type":"transcript","request_id":…,"text":…,"is_final":…,"offset":…,"duration":…,
/// "segment_id":…,"language":…,"confidence":…,"words":[…]}</c>, times in milliseconds; <c>segment_id</c> only with the
/// segment-ids setting, <c>language</c>, <c>confidence</c> and <c>words</c> on finals only
/// (src/SpeechStream.Engine/Providers/VoxNexus/README.md, "Results").
/// Written by <see cref="VoxNexusTranscript.csEmulatorJsonContext"/> (snake_case names, properties in wire order).</summary>
internal sealed record VoxNexusTranscript
{
    public string Type => "transcript";
    public required string RequestId { get; init; }
    public required string Text { get; init; }
    public required bool IsFinal { get; init; }
    public required int Offset { get; init; }
    public required int Duration { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SegmentId { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Language { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Confidence { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<VoxNexusWord>? Words { get; init; }
}
