using System.Runtime.InteropServices;

namespace SpeechStream.Engine.Audio;

/// <summary>
/// A read-only stream over one whose reads block in the kernel (standard input, a FIFO): each read runs on the thread
/// pool and the caller awaits it with its token, so cancelling returns at once even while nothing is written. A read
/// abandoned so stays blocked until data comes or the process exits; the stream is not read again after that.
/// </summary>
internal sealed class DetachedReadStream(Stream inner) : Stream
{
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (MemoryMarshal.TryGetArray(buffer, out ArraySegment<byte> segment))
            return await Task.Run(() => inner.Read(segment.Array!, segment.Offset, segment.Count), CancellationToken.None)
                .WaitAsync(cancellationToken).ConfigureAwait(false);
        var copy = new byte[buffer.Length];
        int n = await Task.Run(() => inner.Read(copy, 0, copy.Length), CancellationToken.None).WaitAsync(cancellationToken).ConfigureAwait(false);
        copy.AsSpan(0, n).CopyTo(buffer.Span);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
