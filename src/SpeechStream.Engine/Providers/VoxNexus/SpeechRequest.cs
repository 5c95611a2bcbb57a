using SpeechStream.Engine.Diagnostics;

namespace SpeechStream.Engine.Providers.VoxNexus;

/// <summary>What to synthesise and where to write it. Unset voice settings are left to the server.</summary>
public sealed record SpeechRequest
{
    /// <summary>Text pieces, sent as one <c>text</c> frame each; the last carries <c>is_final: true</c>.</summary>
    public required IReadOnlyList<string> Texts { get; init; }
    /// <summary>The WAV file to write (overwritten).</summary>
    public required string OutFile { get; init; }
    /// <summary><c>voice_id</c>, e.g. <c>vl-xiaoxiao</c> (seed 003_…).</summary>
    public string? Voice { get; init; }
    /// <summary>BCP-47 language, e.g. <c>zh-CN</c>.</summary>
    public string? Language { get; init; }
    /// <summary>Requested sample rate in Hz (default 16000); the file uses the rate the server reports.</summary>
    public int SampleRate { get; init; } = 16000;
    /// <summary>Speaking rate, 1.0 = normal.</summary>
    public double? Speed { get; init; }
    /// <summary>Pitch shift, 0 = normal.</summary>
    public double? Pitch { get; init; }
    /// <summary>Volume, 1.0 = normal.</summary>
    public double? Volume { get; init; }
    /// <summary><c>voice_config.style</c>, e.g. cheerful.</summary>
    public string? Style { get; init; }
    /// <summary><c>voice_config.role</c>, e.g. Girl.</summary>
    public string? Role { get; init; }
    /// <summary><c>voice_config.degree</c>, style intensity.</summary>
    public double? Degree { get; init; }
    /// <summary>API key; <c>VOXNEXUS_API_KEY</c> when null.</summary>
    public Secret? ApiKey { get; init; }
    /// <summary><c>token</c> (query, default) or <c>header</c> (X-Api-Key).</summary>
    public string? AuthMode { get; init; }
    /// <summary>Custom ws(s):// TTS endpoint; default <c>wss://api.voxnexus.ai/v1/tts/realtime</c>.</summary>
    public Uri? Endpoint { get; init; }
    /// <summary>Allow ws:// to a host that is not loopback (the key would travel in clear).</summary>
    public bool AllowUnencrypted { get; init; }
    /// <summary>Longest silence from the server while waiting for audio. Default 30 s.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
