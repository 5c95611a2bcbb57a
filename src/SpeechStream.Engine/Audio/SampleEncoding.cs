namespace SpeechStream.Engine.Audio;

/// <summary>How one sample is stored.</summary>
public enum SampleEncoding
{
    /// <summary>8-bit unsigned PCM (128 = silence), as in WAV.</summary>
    PcmU8,
    /// <summary>16-bit signed little-endian PCM (s16le).</summary>
    PcmS16,
    /// <summary>24-bit signed little-endian PCM, packed in 3 bytes.</summary>
    PcmS24,
    /// <summary>32-bit signed little-endian PCM.</summary>
    PcmS32,
    /// <summary>IEEE float, 32-bit little-endian (f32le).</summary>
    Float32,
    /// <summary>IEEE float, 64-bit little-endian.</summary>
    Float64,
    /// <summary>G.711 mu-law, 8 bits.</summary>
    MuLaw,
    /// <summary>G.711 A-law, 8 bits.</summary>
    ALaw,
}
