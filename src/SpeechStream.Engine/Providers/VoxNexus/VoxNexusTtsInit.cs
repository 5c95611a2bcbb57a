namespace SpeechStream.Engine.Providers.VoxNexus;

/// <summary>The TTS <c>init</c> message (seed 003_…), only the settings given, in this order:
/// <c>{"type":"init","voice_id":…,"language":…,"format":"wav","sample_rate":…,"speed":…,"pitch":…,"volume":…,"voice_config":{…}}</c>;
/// every null field is left out. Written by <see cref="VoxNexusTtsInit.csJsonContext"/>.</summary>
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
