using NAudio.Wave;

namespace SpeechStream.Engine.Audio;

/// <summary>
/// Writes a PCM WAV file as audio arrives, through NAudio.Core's <see cref="WaveFileWriter"/>: the canonical 44-byte
/// header (RIFF, a 16-byte <c>fmt </c> chunk, <c>data</c>), the samples appended as they come, an odd data chunk padded
/// and the RIFF and <c>data</c> sizes patched when the writer is disposed. The bytes are identical to those of the
/// writer this project had before (checked by <c>WavWriterTests</c> over 8/16/24/32-bit, mono and stereo, odd and
/// even lengths, and the TTS output). A file over 4 GiB of samples is refused by NAudio (no RF64 here).
/// <para>Crash-safe: the header goes to disk when the file is created (sizes 0, which <see cref="WavReader"/>, ffmpeg and
/// sox read as "to the end of the file"), and after every <see cref="AppendAsync"/> the samples are handed to the
/// operating system and the RIFF and <c>data</c> sizes patched (NAudio's <c>Flush</c>). A process killed at any point,
/// SIGKILL included, so leaves a valid WAV holding every sample appended before the last append returned, with sizes
/// that match it (at worst a kill inside an append leaves that append's samples after the data the header counts).
/// Before, NAudio's 4 KB file buffer and the sizes patched only at <see cref="DisposeAsync"/> left an empty file when
/// the process died early. Cost: one more write of each size and two seeks per append.</para>
/// </summary>
/// <remarks>Reading stays ours (<see cref="WavReader"/>): NAudio's <c>WaveFileReader</c> needs a seekable stream, so it
/// cannot read standard input or a pipe, which <c>transcribe -</c> and ffmpeg's output need.</remarks>
public sealed class WavFileWriter : IAsyncDisposable
{
    private readonly WaveFileWriter _writer;
    private bool _finished;

    /// <param name="path">File to create (overwritten).</param>
    /// <param name="sampleRate">Hz.</param>
    /// <param name="channels">Interleaved channels.</param>
    /// <param name="bitsPerSample">8, 16, 24 or 32 (integer PCM).</param>
    /// <exception cref="ArgumentException">Not a PCM format (rate or channels not positive, bits not 8/16/24/32).</exception>
    /// <exception cref="IOException">The file cannot be created.</exception>
    public WavFileWriter(string path, int sampleRate, int channels = 1, int bitsPerSample = 16)
    {
        Path = path;
        _writer = new WaveFileWriter(path, Format(sampleRate, channels, bitsPerSample));
        _writer.Flush(); // the header on disk at once: an empty but valid WAV
    }

    /// <summary>The file written.</summary>
    public string Path { get; }
    /// <summary>Sample rate in Hz.</summary>
    public int SampleRate => _writer.WaveFormat.SampleRate;
    /// <summary>Number of channels.</summary>
    public int Channels => _writer.WaveFormat.Channels;
    /// <summary>Bits per sample: 8, 16, 24 or 32.</summary>
    public int BitsPerSample => _writer.WaveFormat.BitsPerSample;

    /// <summary>Bytes of samples written so far.</summary>
    public long DataBytes => _writer.Length;

    /// <summary>Seconds of audio written so far.</summary>
    public double DurationSeconds => DataBytes / (double)_writer.WaveFormat.AverageBytesPerSecond;

    /// <summary>Appends samples, already in this writer's format (a local file: written synchronously), and leaves the
    /// file on disk a whole WAV of everything appended so far (sizes patched, written through to the operating system).</summary>
    /// <exception cref="IOException">The disk is full or the file cannot be written.</exception>
    /// <exception cref="OperationCanceledException">Cancelled before anything was written.</exception>
    public ValueTask AppendAsync(ReadOnlyMemory<byte> samples, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _writer.Write(samples.Span);
        _writer.Flush();
        return ValueTask.CompletedTask;
    }

    /// <summary>A whole WAV file in memory: the header for <paramref name="pcm"/>, then <paramref name="pcm"/> (padded to
    /// an even length). The emulator sends TTS chunks so.</summary>
    public static byte[] ToWavBytes(ReadOnlySpan<byte> pcm, int sampleRate, int channels = 1, int bitsPerSample = 16)
    {
        using var memory = new MemoryStream(pcm.Length + 46);
        using (var w = new WaveFileWriter(memory, Format(sampleRate, channels, bitsPerSample))) w.Write(pcm);
        return memory.ToArray();
    }

    private static WaveFormat Format(int sampleRate, int channels, int bitsPerSample) =>
        sampleRate > 0 && channels > 0 && bitsPerSample is 8 or 16 or 24 or 32
            ? new WaveFormat(sampleRate, bitsPerSample, channels)
            : throw new ArgumentException($"Not a PCM format: {sampleRate} Hz, {channels} channels, {bitsPerSample} bits; expected a positive rate and channel count and 8, 16, 24 or 32 bits.");

    /// <summary>Pads an odd data chunk, patches the sizes and closes the file. Idempotent.</summary>
    public ValueTask DisposeAsync()
    {
        if (_finished) return ValueTask.CompletedTask;
        _finished = true;
        _writer.Dispose();
        return ValueTask.CompletedTask;
    }
}
