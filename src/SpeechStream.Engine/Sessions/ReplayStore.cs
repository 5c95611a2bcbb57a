using System.Buffers;
using SpeechStream.Engine.Audio;

namespace SpeechStream.Engine.Sessions;

/// <summary>
/// A session's replay audio, packed without loss (<see cref="LosslessPcm"/>, about 60 % of the PCM for speech; or as it is,
/// when the session's audio is unpaced: SessionOptions.PackReplayAudio) into
/// pooled fixed-size blocks (<see cref="ReplayBlocks"/>): an append-only run of bytes, addressed by offsets that only
/// grow, whose front is given back block by block as soon as nothing before an offset is needed. Not thread-safe: the
/// <see cref="AudioLedger"/>'s lock guards it.
/// </summary>
internal sealed class ReplayStore(bool pack = true)
{
    private readonly List<byte[]> _blocks = new();
    private int _head;   // blocks before this index were given back
    private long _base;  // offset of the first byte of _blocks[_head]
    private long _end;   // offset of the next byte written

    /// <summary>The offset the next packed chunk will start at.</summary>
    public long End => _end;

    /// <summary>Bytes held in blocks (whole blocks, from the first one still needed).</summary>
    public long Capacity => (long)(_blocks.Count - _head) * ReplayBlocks.Size;

    /// <summary>Packs <paramref name="pcm"/> at the end.</summary>
    /// <returns>Where the packed bytes start and how many there are.</returns>
    public (long At, int Length) Append(ReadOnlySpan<byte> pcm)
    {
        if (!pack)
        {
            long start = _end;
            Write(pcm);
            return (start, pcm.Length);
        }
        var scratch = ArrayPool<byte>.Shared.Rent(LosslessPcm.MaxPackedLength(pcm.Length));
        try
        {
            int length = LosslessPcm.Pack(pcm, scratch);
            long at = _end;
            Write(scratch.AsSpan(0, length));
            return (at, length);
        }
        finally { ArrayPool<byte>.Shared.Return(scratch); }
    }

    /// <summary>Unpacks the chunk at <paramref name="at"/> (<paramref name="length"/> packed bytes) into <paramref name="pcm"/>,
    /// which has the chunk's PCM length.</summary>
    /// <exception cref="InvalidOperationException">Those bytes were given back.</exception>
    public void Read(long at, int length, Span<byte> pcm)
    {
        if (at < _base || at + length > _end) throw new InvalidOperationException("This replay audio is no longer kept.");
        if (!pack)
        {
            Copy(at, pcm[..length]);
            return;
        }
        var scratch = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            Copy(at, scratch.AsSpan(0, length));
            LosslessPcm.Unpack(scratch.AsSpan(0, length), pcm);
        }
        finally { ArrayPool<byte>.Shared.Return(scratch); }
    }

    /// <summary>Copies the kept bytes from <paramref name="at"/> into <paramref name="into"/>, across blocks.</summary>
    private void Copy(long at, Span<byte> into)
    {
        int done = 0;
        while (done < into.Length)
        {
            long offset = at + done - _base;
            var block = _blocks[_head + (int)(offset / ReplayBlocks.Size)];
            int inBlock = (int)(offset % ReplayBlocks.Size), n = Math.Min(into.Length - done, ReplayBlocks.Size - inBlock);
            block.AsSpan(inBlock, n).CopyTo(into[done..]);
            done += n;
        }
    }

    /// <summary>Gives back every block that holds only bytes before <paramref name="offset"/>.</summary>
    public void ReleaseBefore(long offset)
    {
        while (_head < _blocks.Count && _base + ReplayBlocks.Size <= Math.Min(offset, _end))
        {
            ReplayBlocks.Return(_blocks[_head]);
            _blocks[_head++] = null!;
            _base += ReplayBlocks.Size;
        }
        if (_head == _blocks.Count) // nothing kept: start the list again
        {
            _blocks.Clear();
            _head = 0;
        }
        else if (_head >= 64)
        {
            _blocks.RemoveRange(0, _head);
            _head = 0;
        }
    }

    /// <summary>Gives back every block (the session is over).</summary>
    public void Clear()
    {
        for (int i = _head; i < _blocks.Count; i++) ReplayBlocks.Return(_blocks[i]);
        _blocks.Clear();
        _head = 0;
        _base = _end;
    }

    private void Write(ReadOnlySpan<byte> bytes)
    {
        while (bytes.Length > 0)
        {
            long used = _end - _base;
            if (used == Capacity)
            {
                if (_head == _blocks.Count) _base = _end; // empty: the next block starts here
                _blocks.Add(ReplayBlocks.Rent());
                used = _end - _base;
            }
            int inBlock = (int)(used % ReplayBlocks.Size), n = Math.Min(bytes.Length, ReplayBlocks.Size - inBlock);
            bytes[..n].CopyTo(_blocks[^1].AsSpan(inBlock));
            bytes = bytes[n..];
            _end += n;
        }
    }
}
