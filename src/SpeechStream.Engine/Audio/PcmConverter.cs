using System.Runtime.CompilerServices;
namespace SpeechStream.Engine.Audio;

/// <summary>
/// Turns any <see cref="IAudioSource"/> into what providers receive: mono PCM s16le at a target rate,
/// mixed down (or one channel picked) and resampled by <see cref="PolyphaseResampler"/>. Pull-based and
/// bounded: it holds one block of input and its output, whatever the length of the source.
/// </summary>
public sealed class PcmConverter : IAsyncDisposable
{
    /// <summary>Input frames per block for bulk conversion (files at full speed).</summary>
    public const int BulkBlockFrames = 4096;
    private readonly int BlockFrames;
    private readonly IAudioSource _source;
    private readonly PolyphaseResampler _resampler;
    private readonly int _channel; // -1 = mix
    private float[] _interleaved = Array.Empty<float>();
    private float[] _mono = Array.Empty<float>();
    private float[] _out = Array.Empty<float>();
    private readonly ByteStreamAudioSource? _passthrough; // already PCM s16le mono at the target rate: no conversion
    private float[] _pcmScratch = Array.Empty<float>();
    private int _outStart, _outCount;
    private bool _sourceEnded;

    /// <param name="source">The decoded input; disposed with this converter.</param>
    /// <param name="targetRate">Output sample rate in Hz (a provider's rate, e.g. 16000).</param>
    /// <param name="channels">Mix (default) or one channel.</param>
    /// <param name="blockFrames">Input frames converted at a time: <see cref="BulkBlockFrames"/> for throughput, fewer
    /// (a chunk's worth) to keep a paced session's buffers small.</param>
    public PcmConverter(IAudioSource source, int targetRate, ChannelSelection channels = ChannelSelection.Mix, int blockFrames = BulkBlockFrames)
    {
        _source = source;
        BlockFrames = Math.Clamp(blockFrames, 256, BulkBlockFrames);
        TargetRate = targetRate;
        int ch = source.Format.Channels;
        _channel = channels switch
        {
            ChannelSelection.Left => 0,
            ChannelSelection.Right => ch > 1 ? 1 : 0,
            _ => ch == 1 ? 0 : -1,
        };
        _resampler = new PolyphaseResampler(source.Format.SampleRate, targetRate);
        if (_resampler.IsIdentity && source is ByteStreamAudioSource { IsPcm16Mono: true } raw) _passthrough = raw;
    }

    /// <summary>The float buffers, made on first use (a passthrough never needs them).</summary>
    private void EnsureBuffers()
    {
        if (_mono.Length > 0) return;
        _mono = new float[BlockFrames];
        _interleaved = new float[BlockFrames * _source.Format.Channels];
        _out = new float[_resampler.MaxOutput(BlockFrames) + 64];
    }

    /// <summary>The source read from.</summary>
    public IAudioSource Source => _source;

    /// <summary>Output sample rate in Hz.</summary>
    public int TargetRate { get; }

    /// <summary>Output samples produced so far (mono, at <see cref="TargetRate"/>).</summary>
    public long SamplesProduced { get; private set; }

    /// <summary>Reads mono float samples at the target rate; returns 0 at the end of the source.</summary>
    public async ValueTask<int> ReadAsync(Memory<float> destination, CancellationToken cancellationToken = default)
    {
        while (_outCount == 0)
        {
            if (_sourceEnded) return 0;
            await FillAsync(cancellationToken).ConfigureAwait(false);
        }
        int n = Math.Min(destination.Length, _outCount);
        _out.AsSpan(_outStart, n).CopyTo(destination.Span);
        _outStart += n;
        _outCount -= n;
        SamplesProduced += n;
        return n;
    }

    /// <summary>Fills <paramref name="destination"/> with PCM s16le bytes; fewer only at the end of the source.</summary>
    /// <returns>Bytes written (even); 0 at the end.</returns>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<int> ReadPcm16Async(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        if (_passthrough is not null && _outCount == 0 && !_sourceEnded && _mono.Length == 0)
        {
            int got = 0, n;
            while (got < (destination.Length & ~1) && (n = await _passthrough.ReadPcm16Async(destination[got..], cancellationToken).ConfigureAwait(false)) > 0)
                got += n;
            SamplesProduced += got / 2;
            return got;
        }
        int samples = destination.Length / 2, done = 0;
        if (_pcmScratch.Length < Math.Min(samples, 8192)) _pcmScratch = new float[Math.Min(samples, 8192)];
        var tmp = _pcmScratch; // reused: no allocation per chunk on the streaming path
        while (done < samples)
        {
            int n = await ReadAsync(tmp.AsMemory(0, Math.Min(tmp.Length, samples - done)), cancellationToken).ConfigureAwait(false);
            if (n == 0) break;
            SampleDecoder.ToPcm16(tmp.AsSpan(0, n), destination.Span.Slice(done * 2, n * 2));
            done += n;
        }
        return done * 2;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask FillAsync(CancellationToken ct)
    {
        EnsureBuffers();
        int ch = _source.Format.Channels;
        int got = await _source.ReadAsync(_interleaved, ct).ConfigureAwait(false);
        _outStart = 0;
        if (got == 0)
        {
            _sourceEnded = true;
            EnsureOut(_resampler.MaxOutput(0) + 64);
            _outCount = _resampler.Flush(_out);
            return;
        }
        int frames = got / ch;
        var mono = _mono.AsSpan(0, frames);
        if (_channel >= 0)
        {
            for (int i = 0, j = _channel; i < frames; i++, j += ch) mono[i] = _interleaved[j];
        }
        else
        {
            float g = 1f / ch;
            for (int i = 0, j = 0; i < frames; i++)
            {
                float s = 0;
                for (int c = 0; c < ch; c++) s += _interleaved[j++];
                mono[i] = s * g;
            }
        }
        _outCount = _resampler.Process(mono, _out);
    }

    private void EnsureOut(int n)
    {
        if (_out.Length < n) _out = new float[n];
    }

    /// <summary>Disposes the source.</summary>
    public ValueTask DisposeAsync() => _source.DisposeAsync();
}
