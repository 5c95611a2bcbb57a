using System.Text.Json.Serialization;

namespace SpeechStream.Emulator;

// The JSON messages the VoxNexus emulator sends, one record per shape, written by EmulatorJsonContext (snake_case, nulls
// written unless marked). Properties are in wire order. Source: the emulator's seed document.

/// <summary>VoxNexus's error frame (seed 003_…): <c>{"type":"error","error":…,"code":…,"request_id":…}</c>.</summary>
internal sealed record VoxNexusError
{
    public string Type => "error";
    public required string Error { get; init; }
    public required string Code { get; init; }
    public required string RequestId { get; init; }
}

/// <summary>VoxNexus STT's answer to <c>init</c>: <c>{"type":"ready","request_id":…,"language":…,"format":…,"sample_rate":…}</c>.</summary>
internal sealed record VoxNexusSttReady
{
    public string Type => "ready";
    public required string RequestId { get; init; }
    public required string Language { get; init; }
    public required string Format { get; init; }
    public required int SampleRate { get; init; }
}

/// <summary>VoxNexus TTS's answer to <c>init</c>: <c>{"type":"ready","request_id":…,"voice_id":…,"language":…,"format":…,"sample_rate":…}</c>,
/// <c>voice_id</c> and <c>language</c> null when the client sent none.</summary>
internal sealed record VoxNexusTtsReady
{
    public string Type => "ready";
    public required string RequestId { get; init; }
    public required string? VoiceId { get; init; }
    public required string? Language { get; init; }
    public required string Format { get; init; }
    public required int SampleRate { get; init; }
}

/// <summary>A VoxNexus STT result: <c>{"type":"transcript","request_id":…,"text":…,"is_final":…,"offset":…,"duration":…,
/// "segment_id":…,"language":…,"confidence":…,"words":[…]}</c>, times in milliseconds; <c>segment_id</c> only with
/// the segment-ids profile, <c>language</c>, <c>confidence</c> and <c>words</c> on finals only.</summary>
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

/// <summary>A word of <see cref="VoxNexusTranscript.Words"/>: <c>{"word":…,"offset":…,"duration":…,"confidence":…}</c>, milliseconds.</summary>
internal sealed record VoxNexusWord(string Word, int Offset, int Duration, double Confidence);

/// <summary>VoxNexus's answer to flush: <c>{"type":"flush_done","request_id":…}</c>.</summary>
internal sealed record VoxNexusFlushDone
{
    public string Type => "flush_done";
    public required string RequestId { get; init; }
}

/// <summary>A VoxNexus TTS audio chunk: <c>{"type":"audio","data":"&lt;base64&gt;","is_final":…}</c>.</summary>
internal sealed record VoxNexusAudio
{
    public string Type => "audio";
    public required string Data { get; init; }
    public required bool IsFinal { get; init; }
}
