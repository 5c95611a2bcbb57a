namespace SpeechStream.Engine.Providers.VoxNexus;

/// <summary>The STT <c>init</c> message (seed 003_…; README, "Handshake"), in this order:
/// <c>{"type":"init","language":…,"format":"pcm","sample_rate":…,"enable_timestamps":…,"enable_language_detection":…,"model_id":…}</c>;
/// <c>language</c> and <c>model_id</c> are left out when null. Written by <see cref="VoxNexusSttInit.csJsonContext"/>.</summary>
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
