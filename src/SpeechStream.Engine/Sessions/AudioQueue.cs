using System.Runtime.CompilerServices;
using System.Diagnostics;
using System.Threading.Channels;

namespace SpeechStream.Engine.Sessions;

/// <summary>
/// The session's spare audio buffers: the producer copies each chunk it is given into one (the caller may reuse its
/// own), and the connection writer gives it back once the chunk is on the socket (the ledger keeps its own packed copy).
/// A real-time session then allocates no audio buffer per chunk and holds only the few in flight. Buffers of the
/// session's usual chunk length are kept (64 at most); others are left to the GC.
/// </summary>
internal sealed class AudioBuffers
{
    private readonly Stack<byte[]> _free = new();
    private int _length = -1;

    public byte[] Rent(int length)
    {
        lock (_free)
        {
            if (_length == -1) _length = length;
            if (length == _length && _free.TryPop(out var b)) return b;
        }
        return GC.AllocateUninitializedArray<byte>(length);
    }

    public void Return(byte[] buffer)
    {
        lock (_free)
            if (buffer.Length == _length && _free.Count < 64) _free.Push(buffer);
    }
}

/// <summary>What travels through the outbound queue, in order.</summary>
internal abstract record QueueItem
{
    /// <summary>PCM s16le mono at the session's rate (a private copy of the caller's buffer, from <see cref="AudioBuffers"/>).</summary>
    public sealed record Audio(byte[] Data) : QueueItem;

    /// <summary>The caller's end of stream: behind every chunk queued before it, so it can never overtake audio
    /// (deepgram-dotnet-sdk #341).</summary>
    public sealed record End : QueueItem;

    /// <summary>The caller has sent nothing for the idle keepalive period: the writer sends 100 ms of silence.</summary>
    public sealed record KeepAlive : QueueItem;

    /// <summary>Connection <paramref name="Generation"/>'s credential is about to expire: finish it and reconnect.</summary>
    public sealed record Renew(int Generation) : QueueItem;

    public static readonly End EndItem = new();
    public static readonly KeepAlive KeepAliveItem = new();
}

/// <summary>
/// The session's outbound FIFO, bounded (32 items) so a fast producer waits for the socket instead of running ahead.
/// A waiting writer continues on the producer's thread (the paced stream's): a chunk reaches the socket at once.
/// The caller is its producer; the connection writer of the moment is its only reader (connections follow one another,
/// never overlap). An idle timer adds a keepalive marker through the same FIFO when the caller has sent nothing for the
/// keepalive period (a muted microphone, rare <c>Send-AsrAudio</c> calls), so silence can never reorder audio.
/// </summary>
internal sealed class AudioQueue : IDisposable
{
    private readonly Channel<QueueItem> _channel = Channel.CreateBounded<QueueItem>(
        new BoundedChannelOptions(32) { SingleReader = true, SingleWriter = false, FullMode = BoundedChannelFullMode.Wait, AllowSynchronousContinuations = true });
    private readonly Stopwatch _clock;
    private readonly Timer? _idleTimer;
    private readonly long _idleTicks;
    private long _lastAudioTicks;
    private volatile bool _endQueued;
    private double _queuedSeconds;

    private readonly AudioBuffers _buffers;

    /// <param name="idleKeepAlive">Send a keepalive after this long without audio; null: never.</param>
    public AudioQueue(Stopwatch clock, TimeSpan? idleKeepAlive, int bytesPerSecond, AudioBuffers buffers)
    {
        _clock = clock;
        _buffers = buffers;
        BytesPerSecond = bytesPerSecond;
        _lastAudioTicks = clock.ElapsedTicks;
        if (idleKeepAlive is TimeSpan idle && idle > TimeSpan.Zero)
        {
            _idleTicks = (long)(idle.TotalSeconds * Stopwatch.Frequency);
            var period = TimeSpan.FromMilliseconds(Math.Max(20, idle.TotalMilliseconds / 2));
            _idleTimer = new Timer(_ => OnIdleTick(), null, period, period);
        }
    }

    public int BytesPerSecond { get; }

    public ChannelReader<QueueItem> Reader => _channel.Reader;

    /// <summary>True once the caller queued the end of stream.</summary>
    public bool EndQueued => _endQueued;

    /// <summary>True once a connection writer took the end of stream from the queue (a later connection resends it).</summary>
    public bool EndTaken { get; set; }

    /// <summary>Seconds of audio the caller has queued.</summary>
    public double QueuedSeconds => Volatile.Read(ref _queuedSeconds);

    /// <summary>Queues a copy of <paramref name="pcm"/>; waits while the queue is full.</summary>
    /// <exception cref="InvalidOperationException">After the end of stream.</exception>
    /// <exception cref="ChannelClosedException">The session has ended.</exception>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask EnqueueAudioAsync(ReadOnlyMemory<byte> pcm, CancellationToken ct)
    {
        if (_endQueued) throw new InvalidOperationException("Audio cannot be sent after the end of stream.");
        var copy = _buffers.Rent(pcm.Length);
        pcm.CopyTo(copy);
        await _channel.Writer.WriteAsync(new QueueItem.Audio(copy), ct).ConfigureAwait(false);
        Interlocked.Exchange(ref _lastAudioTicks, _clock.ElapsedTicks);
        Volatile.Write(ref _queuedSeconds, _queuedSeconds + (double)pcm.Length / BytesPerSecond);
    }

    /// <summary>The writer is done with an <see cref="QueueItem.Audio"/> buffer: the next chunk may reuse it.</summary>
    public void Recycle(byte[] buffer) => _buffers.Return(buffer);

    /// <summary>Queues the end of stream behind the audio already queued. Idempotent.</summary>
    public async ValueTask EnqueueEndAsync(CancellationToken ct)
    {
        if (_endQueued) return;
        _endQueued = true;
        _idleTimer?.Change(Timeout.Infinite, Timeout.Infinite);
        try { await _channel.Writer.WriteAsync(QueueItem.EndItem, ct).ConfigureAwait(false); }
        catch (ChannelClosedException) { }
    }

    /// <summary>Adds a marker without waiting; false when the queue is full (then audio is flowing anyway).</summary>
    public bool TryEnqueue(QueueItem marker) => _channel.Writer.TryWrite(marker);

    /// <summary>True when the caller has been idle for the keepalive period (checked again when the marker is read).</summary>
    public bool IsIdle => _idleTicks > 0 && _clock.ElapsedTicks - Interlocked.Read(ref _lastAudioTicks) >= _idleTicks;

    private void OnIdleTick()
    {
        if (_endQueued || !IsIdle || _channel.Reader.Count > 0) return;
        TryEnqueue(QueueItem.KeepAliveItem);
    }

    /// <summary>No more items: producers get <see cref="ChannelClosedException"/>.</summary>
    public void Close() => _channel.Writer.TryComplete();

    public void Dispose()
    {
        _idleTimer?.Dispose();
        Close();
    }
}
