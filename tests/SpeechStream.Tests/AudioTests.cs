using SpeechStream.Engine;
using SpeechStream.Engine.Audio;

namespace SpeechStream.Tests;

public class AudioTests(Xunit.Abstractions.ITestOutputHelper output)
{
    // Every fixture variant, converted to 16 kHz mono s16le, must match SoX's `rate` (default high quality)
    // conversion: SNR >= 40 dB, lag 0, same length within 1%. References: tests/fixtures/make-references.sh.
    public static TheoryData<string> Variants => new(Fixtures.SoxReferenced.Append("call-stereo-8k-mulaw.wav"));

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Variant_matches_SoX_conversion(string file)
    {
        var ours = await Fixtures.ConvertAsync(Fixtures.Audio(file));
        var sox = Fixtures.ReadS16(Fixtures.Reference(Path.GetFileNameWithoutExtension(file) + ".16k.s16le"));
        output.WriteLine($"{file}: SNR {Fixtures.Snr(sox, ours):0.0} dB vs SoX, {ours.Length} vs {sox.Length} samples");
        Fixtures.AssertMatchesSox(sox, ours, file);
    }

    [Fact]
    public async Task Sixteen_bit_16k_mono_passes_through_bit_exact()
    {
        var ours = await Fixtures.ConvertAsync(Fixtures.Audio("librivox-1.wav"));
        var raw = Fixtures.ReadS16(Fixtures.Audio("variant-16k-s16le.raw"));
        Assert.Equal(raw, ours);
    }

    [Fact]
    public async Task Raw_pcm_reads_when_its_format_is_declared()
    {
        var ours = await Fixtures.ConvertAsync(Fixtures.Audio("variant-16k-s16le.raw"), raw: new AudioFormat(SampleEncoding.PcmS16, 16000, 1));
        var wav = await Fixtures.ConvertAsync(Fixtures.Audio("librivox-1.wav"));
        Assert.Equal(wav, ours);
    }

    [Fact]
    public async Task Wav_header_reports_format_and_duration()
    {
        await using var r = await WavReader.OpenAsync(Fixtures.Audio("variant-48k-s24.wav"));
        Assert.Equal(new AudioFormat(SampleEncoding.PcmS24, 48000, 1), r.Format);
        Assert.Equal(7.1, r.DurationSeconds!.Value, 2);
        await using var s = await WavReader.OpenAsync(Fixtures.Audio("variant-44k1-stereo-f32.wav"));
        Assert.Equal(new AudioFormat(SampleEncoding.Float32, 44100, 2), s.Format);
    }

    [Theory]
    [InlineData("empty.wav", "AudioFileEmpty", "empty")]
    [InlineData("not-audio.wav", "AudioNotWav", "not a WAV file")]
    [InlineData("truncated-header.wav", "AudioHeaderTruncated", "truncated")]
    [InlineData("truncated-data.wav", "AudioDataTruncated", "227200 bytes")]
    [InlineData("unsupported-codec.wav", "AudioCodecUnsupported", "MPEG Layer 3")]
    [InlineData("zero-channels.wav", "AudioChannelsInvalid", "0 channels")]
    public async Task Bad_files_are_refused_with_a_clear_error(string file, string errorId, string says)
    {
        var path = Fixtures.Audio(Path.Combine("bad", file));
        var e = await Assert.ThrowsAsync<AudioFormatException>(() => Fixtures.ConvertAsync(path));
        Assert.Equal(errorId, e.ErrorId);
        Assert.Contains(path, e.Message);
        Assert.Contains(says, e.Message);
        Assert.Equal(AsrErrorKind.AudioFormat, e.Kind);
    }

    [Fact]
    public async Task Streaming_data_size_reads_to_the_real_end_of_the_file()
    {
        var ours = await Fixtures.ConvertAsync(Fixtures.Audio("bad/streaming-size.wav"));
        var good = await Fixtures.ConvertAsync(Fixtures.Audio("librivox-1.wav"));
        Assert.Equal(good, ours);
    }

    [Fact]
    public async Task Missing_file_names_the_file()
    {
        var e = await Assert.ThrowsAsync<AudioFormatException>(() => Fixtures.ConvertAsync("/no/such/file.wav"));
        Assert.Equal("AudioFileNotFound", e.ErrorId);
        Assert.Contains("/no/such/file.wav", e.Message);
    }

    [Fact]
    public async Task Wav_reads_from_a_pipe_that_cannot_seek()
    {
        var bytes = await File.ReadAllBytesAsync(Fixtures.Audio("variant-22k05-u8.wav"));
        await using var r = await WavReader.FromStreamAsync(new NonSeekableStream(bytes), "stdin");
        await using var conv = new PcmConverter(r, 16000);
        var buf = new float[1 << 20];
        int total = 0, n;
        while ((n = await conv.ReadAsync(buf.AsMemory(total))) > 0) total += n;
        var fromFile = await Fixtures.ConvertAsync(Fixtures.Audio("variant-22k05-u8.wav"));
        Assert.Equal(fromFile.Length, total);
    }

    [Fact]
    public async Task Channel_selection_picks_one_side_of_a_stereo_call()
    {
        var left = await Fixtures.ConvertAsync(Fixtures.Audio("call-stereo-8k-mulaw.wav"), ch: ChannelSelection.Left);
        var right = await Fixtures.ConvertAsync(Fixtures.Audio("call-stereo-8k-mulaw.wav"), ch: ChannelSelection.Right);
        // call.json: the agent (left) speaks first from 0 s, the caller (right) from 7.7 s.
        Assert.True(Rms(left, 0, 16000 * 7) > 10 * Rms(right, 0, 16000 * 7));
        Assert.True(Rms(right, (int)(16000 * 8), 16000 * 10) > 10 * Rms(left, (int)(16000 * 8), 16000 * 10));
    }

    private static double Rms(short[] s, int from, int to)
    {
        double sum = 0;
        for (int i = from; i < to; i++) sum += (double)s[i] * s[i];
        return Math.Sqrt(sum / (to - from));
    }

    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => base.Position; set => throw new NotSupportedException(); }
        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, 1000)]);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, 1000)], ct);
    }
}

public class ResamplerTests
{
    private static float[] Tone(double hz, int rate, double seconds, double amp = 0.5)
    {
        var x = new float[(int)(rate * seconds)];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(amp * Math.Sin(2 * Math.PI * hz * i / rate));
        return x;
    }

    private static float[] Run(PolyphaseResampler r, float[] input, int block = 1000)
    {
        var output = new List<float>();
        var buf = new float[r.MaxOutput(block) + 16];
        for (int i = 0; i < input.Length; i += block)
        {
            int n = r.Process(input.AsSpan(i, Math.Min(block, input.Length - i)), buf);
            output.AddRange(buf.AsSpan(0, n).ToArray());
        }
        var tail = new float[r.MaxOutput(0) + 16];
        int t = r.Flush(tail);
        output.AddRange(tail.AsSpan(0, t).ToArray());
        return output.ToArray();
    }

    private static double RmsDb(float[] x, double amp)
    {
        double s = 0;
        int from = x.Length / 4, to = 3 * x.Length / 4;
        for (int i = from; i < to; i++) s += x[i] * (double)x[i];
        return 20 * Math.Log10(Math.Sqrt(s / (to - from)) / (amp / Math.Sqrt(2)) + 1e-15);
    }

    [Theory]
    [InlineData(44100, 1000, 0.05)]
    [InlineData(44100, 7000, 0.05)]
    [InlineData(48000, 7200, 0.05)]
    [InlineData(8000, 3000, 0.05)]
    [InlineData(22050, 5000, 0.05)]
    public void Passband_is_kept(int inRate, double hz, double toleranceDb)
    {
        var y = Run(new PolyphaseResampler(inRate, 16000), Tone(hz, inRate, 1));
        Assert.InRange(RmsDb(y, 0.5), -toleranceDb, toleranceDb);
    }

    [Theory]
    [InlineData(44100, 9000)]   // would alias to 7 kHz
    [InlineData(44100, 15000)]  // would alias to 1 kHz
    [InlineData(48000, 12000)]
    [InlineData(22050, 10000)]
    public void What_would_alias_is_removed(int inRate, double hz)
    {
        var y = Run(new PolyphaseResampler(inRate, 16000), Tone(hz, inRate, 1));
        Assert.True(RmsDb(y, 0.5) < -90, $"{hz} Hz at {inRate} Hz came through at {RmsDb(y, 0.5):0.0} dB");
    }

    [Fact]
    public void Transition_band_tracks_SoX()
    {
        // SoX 14.4.2 `rate` (default) measured on 44.1 kHz -> 16 kHz tones: -0.01 dB at 7400 Hz, -2.85 at 7600,
        // -10.1 at 7700, -25.1 at 7800, -53 at 7900; nothing at 8000.
        (double hz, double soxDb, double tol)[] points = { (7400, -0.01, 0.5), (7600, -2.85, 2), (7700, -10.1, 3), (7800, -25.1, 6) };
        foreach (var (hz, soxDb, tol) in points)
        {
            var y = Run(new PolyphaseResampler(44100, 16000), Tone(hz, 44100, 1));
            Assert.InRange(RmsDb(y, 0.5), soxDb - tol, soxDb + tol);
        }
    }

    [Theory]
    [InlineData(44100, 16000, 44100)]
    [InlineData(8000, 16000, 8001)]
    [InlineData(48000, 16000, 47999)]
    [InlineData(22050, 16000, 1)]
    public void Output_length_is_ceil_of_input_times_ratio(int inRate, int outRate, int inputLength)
    {
        var y = Run(new PolyphaseResampler(inRate, outRate), new float[inputLength], block: 333);
        Assert.Equal((int)Math.Ceiling((double)inputLength * outRate / inRate), y.Length);
    }

    [Fact]
    public void Block_size_does_not_change_the_output()
    {
        var x = Tone(1234, 44100, 0.5);
        var a = Run(new PolyphaseResampler(44100, 16000), x, 1);
        var b = Run(new PolyphaseResampler(44100, 16000), x, 4096);
        Assert.Equal(a, b);
    }

    /// <summary>The integer up/decimation kernels sum in another order than the per-sample path: block size may
    /// change the output by float rounding only.</summary>
    [Theory]
    [InlineData(8000)]
    [InlineData(48000)]
    public void Integer_ratio_kernels_agree_with_the_per_sample_path(int inRate)
    {
        var x = Tone(1234, inRate, 0.5);
        var a = Run(new PolyphaseResampler(inRate, 16000), x, 1);
        var b = Run(new PolyphaseResampler(inRate, 16000), x, 4096);
        Assert.Equal(a.Length, b.Length);
        Assert.All(Enumerable.Range(0, a.Length), i => Assert.InRange(Math.Abs(a[i] - b[i]), 0, 1e-5));
    }
}
