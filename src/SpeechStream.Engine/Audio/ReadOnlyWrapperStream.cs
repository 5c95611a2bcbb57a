namespace SpeechStream.Engine.Audio;

/// <summary>
/// What every forward-only, read-only stream over another one shares: no seeking, length or writing, and disposing
/// the stream it wraps. Subclasses say how a read goes (<see cref="DetachedReadStream"/>, the prefix replay of
/// <see cref="AudioInput"/>).
/// </summary>
internal abstract class ReadOnlyWrapperStream(Stream inner) : Stream
{
    /// <summary>The stream read from; disposed with this one.</summary>
    protected Stream Inner { get; } = inner;

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

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
        if (disposing) Inner.Dispose();
        base.Dispose(disposing);
    }
}
