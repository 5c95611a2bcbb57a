namespace SpeechStream.Engine.Sessions;

/// <summary>
/// The audio kept for replay: chunks in order on the file's timeline (seconds), their packed bytes in a
/// <see cref="ReplayStore"/>, and the chunks leased to replays in progress. Keeps audio from the replay floor, always the
/// last <see cref="AudioLedger.KeptTailSeconds"/> seconds, and at most <paramref name="capacitySeconds"/>; bytes are given
/// back once no chunk kept or leased needs them. Not thread-safe (the <see cref="AudioLedger"/>'s lock guards it).
/// </summary>
/// <param name="capacitySeconds">Most audio kept, in seconds (SessionOptions.ReplayBuffer).</param>
/// <param name="pack">Keep the audio packed (SessionOptions.PackReplayAudio), else as it is.</param>
internal sealed class ReplayBuffer(double capacitySeconds, bool pack)
{
    private readonly Queue<AudioChunk> _kept = new();
    private readonly ReplayStore _store = new(pack);
    /// <summary>The chunks of the replays in progress, in order, from <see cref="_leaseHead"/>.</summary>
    private readonly List<AudioChunk> _leased = new();
    private int _leaseHead;

    /// <summary>The end (s) of the last chunk dropped for want of capacity; 0 before any.</summary>
    public double DroppedUpToSeconds { get; private set; }

    /// <summary>Bytes of packed audio held (whole blocks).</summary>
    public long KeptBytes => _store.Capacity;

    /// <summary>The chunks kept, oldest first.</summary>
    public IEnumerable<AudioChunk> Kept => _kept;

    /// <summary>The start (s) of the oldest chunk kept, or null.</summary>
    public double? FirstStartSeconds => _kept.TryPeek(out var first) ? first.Start : null;

    /// <summary>Keeps a packed copy of <paramref name="pcm"/> as the chunk from <paramref name="startSeconds"/> to
    /// <paramref name="endSeconds"/> (the caller may reuse <paramref name="pcm"/> at once).</summary>
    public AudioChunk Keep(ReadOnlySpan<byte> pcm, double startSeconds, double endSeconds)
    {
        var (at, packed) = _store.Append(pcm);
        var chunk = new AudioChunk(at, packed, pcm.Length, startSeconds, endSeconds);
        _kept.Enqueue(chunk);
        return chunk;
    }

    /// <summary>Lets go of the chunks that end before <paramref name="floorSeconds"/> (and before the kept tail of the
    /// <paramref name="sentSeconds"/>), then of the oldest beyond the capacity (recorded in
    /// <see cref="DroppedUpToSeconds"/>), and gives back the bytes no chunk needs.</summary>
    public void Trim(double floorSeconds, double sentSeconds)
    {
        while (_kept.TryPeek(out var first) && first.End <= floorSeconds + 1e-9 && first.End <= sentSeconds - AudioLedger.KeptTailSeconds) _kept.Dequeue();
        while (_kept.TryPeek(out var oldest) && sentSeconds - oldest.Start > capacitySeconds)
        {
            DroppedUpToSeconds = oldest.End;
            _kept.Dequeue();
        }
        ReleaseUnneeded();
    }

    /// <summary>Leases every chunk kept to a replay (each lease ended by <see cref="EndLease"/>) and returns them.</summary>
    public AudioChunk[] Lease()
    {
        var chunks = _kept.ToArray();
        foreach (var c in chunks) c.Leases++;
        _leased.AddRange(chunks);
        return chunks;
    }

    /// <summary>A replay has sent <paramref name="chunk"/> (or will not): its bytes may go once no chunk needs them.</summary>
    public void EndLease(AudioChunk chunk)
    {
        if (chunk.Leases > 0) chunk.Leases--;
        ReleaseUnneeded();
    }

    /// <summary>Unpacks <paramref name="chunk"/> (kept or leased) into <paramref name="pcm"/> (<see cref="AudioChunk.Length"/> bytes).</summary>
    /// <exception cref="InvalidOperationException">The chunk is neither kept nor leased any more.</exception>
    public void Read(AudioChunk chunk, Span<byte> pcm) => _store.Read(chunk.PackedAt, chunk.PackedLength, pcm[..chunk.Length]);

    /// <summary>Gives every block back.</summary>
    public void Clear()
    {
        _kept.Clear();
        _leased.Clear();
        _leaseHead = 0;
        _store.Clear();
    }

    /// <summary>Gives back the packed bytes before the first chunk kept or leased.</summary>
    private void ReleaseUnneeded()
    {
        while (_leaseHead < _leased.Count && _leased[_leaseHead].Leases == 0) _leaseHead++;
        if (_leaseHead == _leased.Count) { _leased.Clear(); _leaseHead = 0; }
        long needed = _kept.TryPeek(out var first) ? first.PackedAt : _store.End;
        if (_leaseHead < _leased.Count) needed = Math.Min(needed, _leased[_leaseHead].PackedAt);
        _store.ReleaseBefore(needed);
    }
}
