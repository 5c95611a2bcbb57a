using System.Runtime.InteropServices;

namespace SpeechStream.Engine.Audio;

/// <summary>
/// A read-only stream over one whose reads block in the kernel (standard input, a FIFO): each read runs on the thread
/// pool and the caller awaits it with its token, so cancelling returns at once even while nothing is written. A read
/// abandoned so stays blocked until data comes or the process exits; the stream is not read again after that.
/// </summary>
internal sealed class DetachedReadStream(Stream inner) : ReadOnlyWrapperStream(inner)
{
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (MemoryMarshal.TryGetArray(buffer, out ArraySegment<byte> segment))
            return await Task.Run(() => Inner.Read(segment.Array!, segment.Offset, segment.Count), CancellationToken.None)
                .WaitAsync(cancellationToken).ConfigureAwait(false);
        var copy = new byte[buffer.Length];
        int n = await Task.Run(() => Inner.Read(copy, 0, copy.Length), CancellationToken.None).WaitAsync(cancellationToken).ConfigureAwait(false);
        copy.AsSpan(0, n).CopyTo(buffer.Span);
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count) => Inner.Read(buffer, offset, count);
}
