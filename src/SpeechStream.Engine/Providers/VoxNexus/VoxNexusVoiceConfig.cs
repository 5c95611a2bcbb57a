namespace SpeechStream.Engine.Providers.VoxNexus;

/// <summary><c>voice_config</c> of <see cref="VoxNexusTtsInit"/>: <c>{"style":…,"role":…,"degree":…}</c>, null
/// fields left out; sent only when one is set.</summary>
internal sealed record VoxNexusVoiceConfig(string? Style, string? Role, double? Degree);
