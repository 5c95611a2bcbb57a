namespace SpeechStream.Engine.Audio;

/// <summary>The format of interleaved audio: encoding, sample rate in Hz, and channel count.</summary>
public sealed record AudioFormat(SampleEncoding Encoding, int SampleRate, int Channels)
{
    /// <summary>The format every provider in this project receives by default: 16 kHz mono PCM s16le.</summary>
    public static AudioFormat Pcm16Mono(int sampleRate) => new(SampleEncoding.PcmS16, sampleRate, 1);

    /// <summary>Bytes in one sample of one channel.</summary>
    public int BytesPerSample => BytesOf(Encoding);

    /// <summary>Bytes in one frame (one sample of every channel).</summary>
    public int BlockAlign => BytesPerSample * Channels;

    /// <summary>Bytes per second of audio.</summary>
    public int BytesPerSecond => BlockAlign * SampleRate;

    /// <summary>Bytes per sample of one channel in <paramref name="e"/>: 1, 2, 3, 4 or 8.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined encoding.</exception>
    public static int BytesOf(SampleEncoding e) => e switch
    {
        SampleEncoding.PcmU8 or SampleEncoding.MuLaw or SampleEncoding.ALaw => 1,
        SampleEncoding.PcmS16 => 2,
        SampleEncoding.PcmS24 => 3,
        SampleEncoding.PcmS32 or SampleEncoding.Float32 => 4,
        SampleEncoding.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(e)),
    };

    /// <summary>Parses the names users type for raw input: <c>s16le</c>, <c>s24le</c>, <c>s32le</c>, <c>u8</c>,
    /// <c>f32le</c>, <c>f64le</c>, <c>mulaw</c> (<c>ulaw</c>), <c>alaw</c>.</summary>
    /// <exception cref="AsrException">InvalidInput, naming the accepted names.</exception>
    public static SampleEncoding ParseEncoding(string name) => name.Trim().ToLowerInvariant() switch
    {
        "s16le" or "s16" or "pcm16" or "linear16" => SampleEncoding.PcmS16,
        "s24le" or "s24" => SampleEncoding.PcmS24,
        "s32le" or "s32" => SampleEncoding.PcmS32,
        "u8" => SampleEncoding.PcmU8,
        "f32le" or "f32" or "float" => SampleEncoding.Float32,
        "f64le" or "f64" => SampleEncoding.Float64,
        "mulaw" or "ulaw" or "mu-law" => SampleEncoding.MuLaw,
        "alaw" or "a-law" => SampleEncoding.ALaw,
        _ => throw new AsrException(AsrErrorKind.InvalidInput, "RawFormatUnknown",
            $"Raw format '{name}' is not known. Expected one of: s16le, s24le, s32le, u8, f32le, f64le, mulaw, alaw."),
    };

    /// <summary>The format as a reader sees it: <c>PcmS16 16000 Hz, 1 ch</c>.</summary>
    public override string ToString() => $"{Encoding} {SampleRate} Hz, {Channels} ch";
}
