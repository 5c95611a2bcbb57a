using System.Buffers;
using System.Runtime.CompilerServices;
using System.Diagnostics;
using System.Threading.Channels;

namespace SpeechStream.Engine.Sessions;

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

    /// <param name="idleKeepAlive">Send a keepalive after this long without audio; null: never.</param>
    public AudioQueue(Stopwatch clock, TimeSpan? idleKeepAlive, int bytesPerSecond)
    {
        _clock = clock;
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

    private volatile bool _endTaken;

    /// <summary>True once a connection writer took the end of stream from the queue (a later connection resends it).</summary>
    public bool EndTaken => _endTaken;

    /// <summary>A connection writer took the end of stream from the queue (only the writer calls this).</summary>
    public void MarkEndTaken() => _endTaken = true;

    /// <summary>Seconds of audio the caller has queued.</summary>
    public double QueuedSeconds => Volatile.Read(ref _queuedSeconds);

    /// <summary>Queues a copy of <paramref name="pcm"/>; waits while the queue is full.</summary>
    /// <remarks>The copy is in an array from <see cref="ArrayPool{T}.Shared"/>, held from here until the writer has
    /// sent it (<see cref="Recycle"/>): in real time, microseconds, so many sessions share a few buffers instead of
    /// each keeping its own (an array not given back, when a session ends with audio queued, is left to the GC).</remarks>
    /// <exception cref="InvalidOperationException">After the end of stream.</exception>
    /// <exception cref="ChannelClosedException">The session has ended.</exception>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask EnqueueAudioAsync(ReadOnlyMemory<byte> pcm, CancellationToken ct)
    {
        if (_endQueued) throw new InvalidOperationException("Audio cannot be sent after the end of stream.");
        var copy = ArrayPool<byte>.Shared.Rent(pcm.Length);
        pcm.CopyTo(copy);
        try { await _channel.Writer.WriteAsync(new QueueItem.Audio(copy, pcm.Length), ct).ConfigureAwait(false); }
        catch
        {
            ArrayPool<byte>.Shared.Return(copy);
            throw;
        }
        Interlocked.Exchange(ref _lastAudioTicks, _clock.ElapsedTicks);
        Volatile.Write(ref _queuedSeconds, _queuedSeconds + (double)pcm.Length / BytesPerSecond);
    }

    /// <summary>The writer has sent an <see cref="QueueItem.Audio"/> (the ledger keeps its own packed copy): its array
    /// goes back to the shared pool.</summary>
    public static void Recycle(QueueItem.Audio audio) => ArrayPool<byte>.Shared.Return(audio.Data);

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
