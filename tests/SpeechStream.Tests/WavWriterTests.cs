using SpeechStream.Engine.Audio;

namespace SpeechStream.Tests;

/// <summary>WAV files are written by NAudio.Core's WaveFileWriter (through <see cref="WavFileWriter"/>); they must be
/// byte-for-byte what the writer this project had before wrote, whose header is kept here as the reference.</summary>
public class WavWriterTests
{
    /// <summary>The former writer's header (WavFileWriter.CanonicalHeader before NAudio): RIFF, a 16-byte PCM fmt chunk,
    /// data; the RIFF size counts the pad byte of an odd data chunk, the data size does not.</summary>
    internal static byte[] FormerHeader(int sampleRate, int channels, int bitsPerSample, long dataBytes)
    {
        var h = new byte[44];
        int blockAlign = channels * bitsPerSample / 8;
        uint data = (uint)Math.Min(dataBytes, uint.MaxValue - 36);
        "RIFF"u8.CopyTo(h);
        BitConverter.TryWriteBytes(h.AsSpan(4), 36 + data + (data & 1));
        "WAVEfmt "u8.CopyTo(h.AsSpan(8));
        BitConverter.TryWriteBytes(h.AsSpan(16), 16);
        BitConverter.TryWriteBytes(h.AsSpan(20), (short)1);
        BitConverter.TryWriteBytes(h.AsSpan(22), (short)channels);
        BitConverter.TryWriteBytes(h.AsSpan(24), sampleRate);
        BitConverter.TryWriteBytes(h.AsSpan(28), sampleRate * blockAlign);
        BitConverter.TryWriteBytes(h.AsSpan(32), (short)blockAlign);
        BitConverter.TryWriteBytes(h.AsSpan(34), (short)bitsPerSample);
        "data"u8.CopyTo(h.AsSpan(36));
        BitConverter.TryWriteBytes(h.AsSpan(40), data);
        return h;
    }

    /// <summary>What the former writer left on disk: the header, the samples, a pad byte after an odd data chunk.</summary>
    private static byte[] FormerFile(int rate, int channels, int bits, byte[] data) =>
        FormerHeader(rate, channels, bits, data.Length).Concat(data).Concat(data.Length % 2 == 1 ? new byte[1] : Array.Empty<byte>()).ToArray();

    public static TheoryData<int, int, int, int> Formats()
    {
        var data = new TheoryData<int, int, int, int>();
        foreach (int bits in new[] { 8, 16, 24, 32 })
            foreach (int channels in new[] { 1, 2 })
                foreach (int rate in new[] { 8000, 22050, 44100 })
                    foreach (int frames in new[] { 0, 1, 3, 4801 })
                        data.Add(rate, channels, bits, frames);
        return data;
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task NAudio_writes_the_same_bytes_as_the_former_writer(int rate, int channels, int bits, int frames)
    {
        var samples = new byte[frames * channels * bits / 8];
        new Random(rate + channels + bits + frames).NextBytes(samples);
        string path = Path.Combine(Path.GetTempPath(), $"wav-{Guid.NewGuid():n}.wav");
        try
        {
            await using (var w = new WavFileWriter(path, rate, channels, bits))
            {
                // As audio arrives: in uneven pieces.
                for (int pos = 0, n = 1; pos < samples.Length; pos += n, n = n * 3 + 1)
                    await w.AppendAsync(samples.AsMemory(pos, Math.Min(n, samples.Length - pos)));
                Assert.Equal(samples.Length, w.DataBytes);
                Assert.Equal((double)frames / rate, w.DurationSeconds, 9);
            }
            Assert.Equal(FormerFile(rate, channels, bits, samples), await File.ReadAllBytesAsync(path));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public async Task The_emulators_in_memory_wav_and_a_file_read_back_through_our_reader()
    {
        var pcm = new byte[32000];
        new Random(1).NextBytes(pcm);
        Assert.Equal(FormerFile(16000, 1, 16, pcm), WavFileWriter.ToWavBytes(pcm, 16000));
        string path = Path.Combine(Path.GetTempPath(), $"wav-{Guid.NewGuid():n}.wav");
        try
        {
            await using (var w = new WavFileWriter(path, 16000)) await w.AppendAsync(pcm);
            await using var read = await WavReader.OpenAsync(path);
            Assert.Equal((new AudioFormat(SampleEncoding.PcmS16, 16000, 1), 1.0), (read.Format, read.DurationSeconds!.Value));
        }
        finally { File.Delete(path); }
    }

    [Theory]
    [InlineData(0, 1, 16)]
    [InlineData(16000, 0, 16)]
    [InlineData(16000, 1, 12)]
    public void A_format_that_is_not_PCM_is_refused_naming_what_was_expected(int rate, int channels, int bits)
    {
        var e = Assert.Throws<ArgumentException>(() => WavFileWriter.ToWavBytes(Array.Empty<byte>(), rate, channels, bits));
        Assert.Contains($"{rate} Hz, {channels} channels, {bits} bits", e.Message);
        Assert.Contains("8, 16, 24 or 32 bits", e.Message);
    }

    /// <summary>A recording killed in its first 64 KB left an empty file (NAudio's file buffer, and
    /// sizes patched only on dispose). A writer abandoned as SIGKILL leaves it (never disposed, its buffers never
    /// written) must leave on disk, after each append, a valid WAV of every sample appended so far, with the sizes
    /// that say so, read back by our reader through a second handle.</summary>
    [Fact]
    public async Task A_writer_killed_early_leaves_a_valid_wav_of_everything_appended()
    {
        string path = Path.Combine(Path.GetTempPath(), $"wav-{Guid.NewGuid():n}.wav");
        var w = new WavFileWriter(path, 16000);
        try
        {
            Assert.Equal(FormerHeader(16000, 1, 16, 0), OnDisk(path)); // the header at once: an empty, valid WAV
            var pcm = new byte[3200 * 7]; // 0.7 s, far under 64 KB
            new Random(16).NextBytes(pcm);
            for (int i = 0; i < 7; i++)
            {
                await w.AppendAsync(pcm.AsMemory(i * 3200, 3200));
                var disk = OnDisk(path);
                Assert.Equal(FormerFile(16000, 1, 16, pcm[..((i + 1) * 3200)]), disk);
                await using var read = await WavReader.FromStreamAsync(new MemoryStream(disk), path);
                Assert.Equal((i + 1) * 0.1, read.DurationSeconds!.Value, 9);
            }
        }
        finally
        {
            await w.DisposeAsync();
            File.Delete(path);
        }
    }

    /// <summary>The file's bytes now, read through another handle while the writer still holds it.</summary>
    private static byte[] OnDisk(string path)
    {
        using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var b = new byte[f.Length];
        f.ReadExactly(b);
        return b;
    }
}
