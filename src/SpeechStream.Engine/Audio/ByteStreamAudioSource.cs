using System.Runtime.CompilerServices;
namespace SpeechStream.Engine.Audio;

/// <summary>Decodes a byte stream of a known format: the common part of WAV and raw PCM sources.</summary>
public abstract class ByteStreamAudioSource : IAudioSource
{
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private byte[] _bytes = Array.Empty<byte>();
    private int _carry; // bytes of an incomplete frame kept from the previous read
    private long _remaining; // bytes left in the data chunk; long.MaxValue = to the end of the stream
    private long? _declared; // bytes the header declares (null: to the end of the stream)
    private bool _endedEarly; // the stream ended before the declared bytes

    /// <summary>A source over <paramref name="stream"/>, named <paramref name="name"/> in messages; PCM s16le 16 kHz mono until
    /// a subclass reads a header and sets <see cref="Format"/>.</summary>
    /// <param name="leaveOpen">Leave the stream open on dispose (standard input).</param>
    protected ByteStreamAudioSource(Stream stream, string name, bool leaveOpen)
    {
        _stream = stream;
        _leaveOpen = leaveOpen;
        Name = name;
        Format = new AudioFormat(SampleEncoding.PcmS16, 16000, 1);
    }

    /// <inheritdoc/>
    public string Name { get; }
    /// <inheritdoc/>
    public AudioFormat Format { get; protected set; }
    /// <inheritdoc/>
    public double? DurationSeconds { get; protected set; }

    /// <summary>Set by subclasses once the header is read: how many data bytes follow (null = to the end).</summary>
    protected void SetDataLength(long? bytes)
    {
        _remaining = bytes ?? long.MaxValue;
        _declared = bytes;
        DurationSeconds = bytes is long b ? (double)(b / Format.BlockAlign) / Format.SampleRate : null;
    }

    /// <summary>The underlying stream, for subclasses reading a header.</summary>
    protected Stream Stream => _stream;

    /// <summary>Set once the stream has ended before the data length the header declared (checked up front for a file,
    /// so in practice a pipe: standard input, a FIFO).</summary>
    public AudioShortfall? Shortfall => _endedEarly && _declared is long declared
        ? new AudioShortfall(declared / Format.BlockAlign / (double)Format.SampleRate, (declared - Math.Max(0, _remaining)) / Format.BlockAlign / (double)Format.SampleRate, "its WAV header")
        : null;

    /// <summary>The stream gave no more bytes: short of the declared length, the input was truncated.</summary>
    private void Ended(long consumed)
    {
        if (_remaining != long.MaxValue && _remaining - consumed > 0) _endedEarly = true;
    }

    /// <inheritdoc/>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<int> ReadAsync(Memory<float> destination, CancellationToken cancellationToken = default)
    {
        int block = Format.BlockAlign;
        int frames = destination.Length / Format.Channels;
        if (frames == 0 || _remaining <= 0) return 0;
        int want = (int)Math.Min((long)frames * block, _remaining);
        if (_bytes.Length < want) _bytes = new byte[Math.Max(want, 512)];

        int have = _carry;
        while (have < want)
        {
            // A local file reads synchronously: FileStream.ReadAsync would hop to the thread pool and allocate on
            // every read (measured ~2 MB per 10 minutes of audio); pipes and sockets stay asynchronous.
            int n = _stream is FileStream { IsAsync: false }
                ? _stream.Read(_bytes, have, want - have)
                : await _stream.ReadAsync(_bytes.AsMemory(have, want - have), cancellationToken).ConfigureAwait(false);
            if (n == 0) { Ended(have - _carry); break; }
            have += n;
            // A pipe (stdin, a capture process) hands out what it has: do not wait for a full buffer.
            if (!_stream.CanSeek && have >= block) break;
        }
        if (_remaining != long.MaxValue) _remaining -= have - _carry;
        int whole = have / block * block;
        _carry = have - whole;
        int samples = SampleDecoder.Decode(_bytes.AsSpan(0, whole), Format.Encoding, destination.Span);
        if (_carry > 0) Buffer.BlockCopy(_bytes, whole, _bytes, 0, _carry);
        if (whole == 0) { _carry = 0; return 0; } // end: an incomplete trailing frame is dropped
        return samples;
    }

    /// <summary>True when the stored audio already is PCM s16le mono: <see cref="ReadPcm16Async"/> can hand it out as it is.</summary>
    public bool IsPcm16Mono => Format.Encoding == SampleEncoding.PcmS16 && Format.Channels == 1;

    /// <summary>Reads PCM s16le mono bytes straight from the stream, with no decoding (<see cref="IsPcm16Mono"/> sources
    /// only; not mixed with <see cref="ReadAsync"/>).</summary>
    /// <returns>Bytes written, whole samples; 0 at the end.</returns>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<int> ReadPcm16Async(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        if (!IsPcm16Mono) throw new InvalidOperationException($"'{Name}' is {Format}, not PCM s16le mono.");
        int want = (int)Math.Min(destination.Length & ~1, _carry + _remaining);
        if (want <= 0) return 0;
        int have = 0;
        if (_carry > 0) { _bytes.AsSpan(0, _carry).CopyTo(destination.Span); have = _carry; }
        while (have < want)
        {
            int n = _stream is FileStream { IsAsync: false }
                ? _stream.Read(destination.Span[have..want])
                : await _stream.ReadAsync(destination[have..want], cancellationToken).ConfigureAwait(false);
            if (n == 0) { Ended(have - _carry); break; }
            have += n;
            if (!_stream.CanSeek && have >= 2) break; // a pipe hands out what it has
        }
        if (_remaining != long.MaxValue) _remaining -= have - _carry;
        int whole = have & ~1;
        _carry = have - whole;
        if (_carry > 0)
        {
            if (_bytes.Length == 0) _bytes = new byte[2];
            _bytes[0] = destination.Span[whole];
        }
        if (whole == 0) { _carry = 0; return 0; } // end: an incomplete trailing sample is dropped
        return whole;
    }

    /// <summary>Closes the stream, unless it was to be left open.</summary>
    public void Dispose()
    {
        if (!_leaveOpen) _stream.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Closes the stream, unless it was to be left open.</summary>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
