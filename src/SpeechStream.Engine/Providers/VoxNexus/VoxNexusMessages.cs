namespace SpeechStream.Engine.Providers.VoxNexus;

/// <summary>The STT <c>init</c> message (seed 003_…; README, "Handshake"), in this order:
/// <c>{"type":"init","language":…,"format":"pcm","sample_rate":…,"enable_timestamps":…,"enable_language_detection":…,"model_id":…}</c>;
/// <c>language</c> and <c>model_id</c> are left out when null. Written by <see cref="EngineJsonContext"/>.</summary>
internal sealed record VoxNexusSttInit
{
    public string Type => "init";
    public string? Language { get; init; }
    public string Format => "pcm";
    public required int SampleRate { get; init; }
    public required bool EnableTimestamps { get; init; }
    public required bool EnableLanguageDetection { get; init; }
    public string? ModelId { get; init; }
}

/// <summary>The TTS <c>init</c> message (seed 003_…), only the settings given, in this order:
/// <c>{"type":"init","voice_id":…,"language":…,"format":"wav","sample_rate":…,"speed":…,"pitch":…,"volume":…,"voice_config":{…}}</c>;
/// every null field is left out. Written by <see cref="EngineJsonContext"/>.</summary>
internal sealed record VoxNexusTtsInit
{
    public string Type => "init";
    public string? VoiceId { get; init; }
    public string? Language { get; init; }
    public string Format => "wav";
    public required int SampleRate { get; init; }
    public double? Speed { get; init; }
    public double? Pitch { get; init; }
    public double? Volume { get; init; }
    public VoxNexusVoiceConfig? VoiceConfig { get; init; }
}

/// <summary><c>voice_config</c> of <see cref="VoxNexusTtsInit"/>: <c>{"style":…,"role":…,"degree":…}</c>, null
/// fields left out; sent only when one is set.</summary>
internal sealed record VoxNexusVoiceConfig(string? Style, string? Role, double? Degree);

/// <summary>A TTS text frame (seed 003_…): <c>{"type":"text","text":…,"is_final":…}</c>; the last one of a request
/// carries <c>is_final: true</c>. Written by <see cref="EngineJsonContext"/>.</summary>
internal sealed record VoxNexusTextFrame
{
    public string Type => "text";
    public required string Text { get; init; }
    public required bool IsFinal { get; init; }
}
