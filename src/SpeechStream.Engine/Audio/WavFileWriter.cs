namespace SpeechStream.Engine.Audio;

/// <summary>
/// Writes a PCM WAV file as audio arrives: a 44-byte RIFF header with placeholder sizes first, the samples
/// appended as they come, and the RIFF and <c>data</c> sizes patched when the writer is completed or disposed,
/// so even an interrupted write leaves a valid file holding everything received.
/// </summary>
public sealed class WavFileWriter : IAsyncDisposable
{
    private readonly FileStream _file;
    private long _dataBytes;
    private bool _finished;

    /// <param name="path">File to create (overwritten).</param>
    /// <param name="sampleRate">Hz.</param>
    /// <param name="channels">Interleaved channels.</param>
    /// <param name="bitsPerSample">8, 16, 24 or 32 (integer PCM).</param>
    /// <exception cref="IOException">The file cannot be created.</exception>
    public WavFileWriter(string path, int sampleRate, int channels = 1, int bitsPerSample = 16)
    {
        if (sampleRate <= 0 || channels <= 0 || bitsPerSample is not (8 or 16 or 24 or 32))
            throw new ArgumentException($"Not a PCM format: {sampleRate} Hz, {channels} channels, {bitsPerSample} bits.");
        Path = path;
        SampleRate = sampleRate;
        Channels = channels;
        BitsPerSample = bitsPerSample;
        _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 64 * 1024, useAsync: true);
        _file.Write(Header(0));
    }

    public string Path { get; }
    public int SampleRate { get; }
    public int Channels { get; }
    public int BitsPerSample { get; }

    /// <summary>Bytes of samples written so far.</summary>
    public long DataBytes => _dataBytes;

    /// <summary>Seconds of audio written so far.</summary>
    public double DurationSeconds => _dataBytes / (double)(SampleRate * Channels * (BitsPerSample / 8));

    public async ValueTask AppendAsync(ReadOnlyMemory<byte> samples, CancellationToken cancellationToken = default)
    {
        await _file.WriteAsync(samples, cancellationToken).ConfigureAwait(false);
        _dataBytes += samples.Length;
    }

    /// <summary>The canonical 44-byte header for <paramref name="dataBytes"/> of samples in this writer's format.</summary>
    public byte[] Header(long dataBytes) => CanonicalHeader(SampleRate, Channels, BitsPerSample, dataBytes);

    /// <summary>A canonical 44-byte PCM WAV header (RIFF size counts the pad byte of an odd data chunk).</summary>
    public static byte[] CanonicalHeader(int sampleRate, int channels, int bitsPerSample, long dataBytes)
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

    /// <summary>Pads an odd data chunk, patches the sizes and closes the file. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_finished) return;
        _finished = true;
        if ((_dataBytes & 1) == 1) await _file.WriteAsync(new byte[1]).ConfigureAwait(false);
        _file.Position = 0;
        await _file.WriteAsync(Header(_dataBytes)).ConfigureAwait(false);
        await _file.DisposeAsync().ConfigureAwait(false);
    }
}
