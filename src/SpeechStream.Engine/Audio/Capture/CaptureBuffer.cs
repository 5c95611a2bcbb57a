using System.Threading.Channels;

namespace SpeechStream.Engine.Audio.Capture;

/// <summary>
/// Hands captured buffers from the device's thread to the session's reader: every byte, in capture order, none
/// dropped. The device writes through <see cref="ICaptureSink"/> (copies, never blocking the device); the session reads
/// <see cref="Reader"/>, a non-seekable stream that hands out what has arrived and ends (returns 0) once the capture
/// stopped and everything before the stop was read. What stopped it is in <see cref="StopError"/>.
/// </summary>
/// <remarks>The backlog (captured, not yet read) is bounded by <see cref="MaxBacklogBytes"/>: a session that falls that
/// far behind ends the capture with <c>CaptureOverrun</c> rather than losing audio silently.</remarks>
internal sealed class CaptureBuffer : ICaptureSink
{
    private readonly Channel<byte[]> _queue = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _backlog;
    private int _ended;

    /// <param name="maxBacklogBytes">See <see cref="MaxBacklogBytes"/>.</param>
    public CaptureBuffer(long maxBacklogBytes = long.MaxValue)
    {
        MaxBacklogBytes = maxBacklogBytes;
        Reader = new ReadStream(this);
    }

    /// <summary>Most bytes captured and not yet read before the capture is ended (set once the device's format is known:
    /// e.g. 60 s of its bytes per second).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive.</exception>
    public long MaxBacklogBytes
    {
        get => Interlocked.Read(ref _maxBacklog);
        set => Interlocked.Exchange(ref _maxBacklog, value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "expected a positive number of bytes"));
    }
    private long _maxBacklog;

    /// <summary>Bytes the device delivered (and kept: nothing after the stop).</summary>
    public long BytesCaptured => Interlocked.Read(ref _captured);
    private long _captured;

    /// <summary>What ended the capture: null for a requested stop, the device's error (lost mid-stream), or an
    /// <see cref="AsrException"/> <c>CaptureOverrun</c>. Read it once <see cref="Reader"/> has ended.</summary>
    public Exception? StopError { get; private set; }

    /// <summary>Completes when the capture has ended (device stop, error, overrun or <see cref="End"/>).</summary>
    public Task Stopped => _stopped.Task;

    /// <summary>The captured bytes, in order; ends after the stop once everything before it was read.</summary>
    public Stream Reader { get; }

    void ICaptureSink.OnData(ReadOnlySpan<byte> buffer)
    {
        if (buffer.IsEmpty || Volatile.Read(ref _ended) != 0) return;
        if (Interlocked.Add(ref _backlog, buffer.Length) > MaxBacklogBytes)
        {
            End(new AsrException(AsrErrorKind.AudioFormat, "CaptureOverrun",
                $"The session fell more than {MaxBacklogBytes} bytes of audio behind the capture device; the capture was stopped rather than drop audio (everything captured before was sent)."));
            return;
        }
        if (_queue.Writer.TryWrite(buffer.ToArray())) Interlocked.Add(ref _captured, buffer.Length);
        else Interlocked.Add(ref _backlog, -buffer.Length); // ended meanwhile
    }

    void ICaptureSink.OnStopped(Exception? error) => End(error);

    /// <summary>Ends the capture: later buffers are ignored, and the reader ends after what is queued. The first end
    /// wins (its error is kept). Idempotent.</summary>
    public void End(Exception? error = null)
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0) return;
        StopError = error;
        _queue.Writer.TryComplete();
        _stopped.TrySetResult();
    }

    /// <summary>The read side (it wraps no other stream: the queue is its source).</summary>
    private sealed class ReadStream(CaptureBuffer owner) : ReadOnlyWrapperStream(Null)
    {
        private byte[] _current = Array.Empty<byte>();
        private int _offset;

        public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
        {
            if (destination.IsEmpty) return 0;
            while (_offset == _current.Length)
            {
                if (!owner._queue.Reader.TryRead(out var next))
                {
                    if (!await owner._queue.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false)) return 0;
                    continue;
                }
                _current = next;
                _offset = 0;
            }
            int n = Math.Min(destination.Length, _current.Length - _offset);
            _current.AsSpan(_offset, n).CopyTo(destination.Span);
            _offset += n;
            Interlocked.Add(ref owner._backlog, -n);
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) =>
            ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
    }
}
