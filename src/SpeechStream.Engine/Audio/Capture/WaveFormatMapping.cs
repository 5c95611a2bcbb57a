using NAudio.Wave;

namespace SpeechStream.Engine.Audio.Capture;

/// <summary>
/// NAudio's <see cref="WaveFormat"/> (a WAVEFORMATEX, as WASAPI negotiates it) to and from our <see cref="AudioFormat"/>.
/// WAVE_FORMAT_EXTENSIBLE is resolved to its sub-format first, so a typical shared-mode mix format (48 kHz, 2 channels,
/// 32-bit float, extensible) maps to Float32 48000 Hz 2 ch, and 24-bit samples in 32-bit containers to PcmS32.
/// </summary>
internal static class WaveFormatMapping
{
    /// <summary>The format as we decode it; null when <see cref="SampleDecoder"/> has no decoder for it (a
    /// compressed tag, 20-bit samples).</summary>
    public static AudioFormat? ToAudioFormat(WaveFormat format)
    {
        var standard = format.AsStandardWaveFormat();
        SampleEncoding? encoding = (standard.Encoding, standard.BitsPerSample) switch
        {
            (WaveFormatEncoding.Pcm, 8) => SampleEncoding.PcmU8,
            (WaveFormatEncoding.Pcm, 16) => SampleEncoding.PcmS16,
            (WaveFormatEncoding.Pcm, 24) => SampleEncoding.PcmS24,
            (WaveFormatEncoding.Pcm, 32) => SampleEncoding.PcmS32,
            (WaveFormatEncoding.IeeeFloat, 32) => SampleEncoding.Float32,
            (WaveFormatEncoding.IeeeFloat, 64) => SampleEncoding.Float64,
            (WaveFormatEncoding.MuLaw, 8) => SampleEncoding.MuLaw,
            (WaveFormatEncoding.ALaw, 8) => SampleEncoding.ALaw,
            _ => null,
        };
        return encoding is SampleEncoding e && standard.SampleRate > 0 && standard.Channels > 0
            ? new AudioFormat(e, standard.SampleRate, standard.Channels) : null;
    }

    /// <summary>The WAVEFORMATEX to ask an audio system for <paramref name="format"/> (PCM or IEEE float).</summary>
    /// <exception cref="ArgumentException">mu-law or A-law: no audio system captures to them.</exception>
    public static WaveFormat ToWaveFormat(AudioFormat format) => format.Encoding switch
    {
        SampleEncoding.Float32 => WaveFormat.CreateIeeeFloatWaveFormat(format.SampleRate, format.Channels),
        SampleEncoding.Float64 => WaveFormat.CreateCustomFormat(WaveFormatEncoding.IeeeFloat, format.SampleRate, format.Channels,
            format.BytesPerSecond, format.BlockAlign, 64),
        SampleEncoding.MuLaw or SampleEncoding.ALaw => throw new ArgumentException($"{format} is not a capture format: expected PCM or IEEE float.", nameof(format)),
        _ => new WaveFormat(format.SampleRate, format.BytesPerSample * 8, format.Channels),
    };
}
