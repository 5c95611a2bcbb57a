using System.Diagnostics;

namespace SpeechStream.Engine.Sessions;

/// <summary>A chunk of PCM s16le mono kept for replay: its place on the file's timeline, in seconds, and where its
/// packed bytes are in the session's <see cref="ReplayStore"/>. Read it back with <see cref="AudioLedger.Read"/>.</summary>
internal sealed class AudioChunk(long packedAt, int packedLength, int length, double start, double end)
{
    /// <summary>Offset of the packed bytes in the store.</summary>
    public long PackedAt { get; } = packedAt;
    public int PackedLength { get; } = packedLength;
    /// <summary>Bytes of PCM.</summary>
    public int Length { get; } = length;
    public double Start { get; } = start;
    public double End { get; } = end;
    public double Seconds => End - Start;
    /// <summary>Replays sending this chunk now; its packed bytes are kept until they are done.</summary>
    public int Leases;
}

/// <summary>What a new connection sends before fresh audio: the kept chunks, from <see cref="Offset"/> (the file
/// time of its first sample), and the audio the buffer had to drop since the last delivery, if any. Each chunk is
/// leased: the sender ends every lease (<see cref="AudioLedger.EndLease"/>), sent or not.</summary>
internal sealed record ReplayPlan(IReadOnlyList<AudioChunk> Chunks, double Offset, TimeRange? Lost);

/// <summary>
/// The audio of one session on the file's timeline (seconds from the start of the file): what was handed to a
/// connection (<see cref="Sent"/>), how far confirmed finals reach (<see cref="Delivered"/>), the audio kept for
/// replay after a reconnect (from the replay floor: the delivered point, less a margin where the provider sends no
/// times; and always the last <see cref="KeptTail"/> seconds), what was lost when the replay buffer overflowed, and when each chunk went out (for latency). One lock:
/// the connection writer appends, its receive loop marks delivery, the supervisor plans the replay.
/// The replay audio is kept packed without loss in pooled blocks (<see cref="ReplayStore"/>), given back as soon as
/// finals cover it and no replay is sending it: it is most of a session's memory (a real-time session holds every
/// second since its last final; before a 4.8 s first final, 150 KB of 16 kHz PCM, 90 KB packed).
/// </summary>
internal sealed class AudioLedger
{
    /// <summary>The last seconds sent are always kept, so a new connection hears some context before new audio
    /// (a word cut at a renewal is heard whole; a server can tell a replay from a new stream).</summary>
    public const double KeptTail = 2.0;

    private readonly object _gate = new();
    private readonly Queue<AudioChunk> _replay = new();
    private readonly List<(double End, long Ticks)> _sendTimes = new();
    private readonly List<TimeRange> _lost = new();
    private readonly double _capacity;
    private readonly int _bytesPerSecond;
    private readonly ReplayStore _store;
    /// <summary>The chunks of the replays in progress, in order, from <see cref="_leaseHead"/>.</summary>
    private readonly List<AudioChunk> _leased = new();
    private int _sendTimesHead, _leaseHead;
    private double _sent, _delivered, _floor, _droppedUpTo, _replayed;

    /// <param name="replayCapacity">Most audio kept for replay, in seconds (SessionOptions.ReplayBuffer).</param>
    /// <param name="bytesPerSecond">PCM s16le mono bytes per second at the session's rate.</param>
    /// <param name="pack">Keep the replay audio packed (SessionOptions.PackReplayAudio), else as it is.</param>
    public AudioLedger(double replayCapacity, int bytesPerSecond, bool pack = true)
    {
        _store = new ReplayStore(pack);
        _capacity = replayCapacity;
        _bytesPerSecond = bytesPerSecond;
    }

    /// <summary>Seconds of distinct audio handed to connections.</summary>
    public double Sent { get { lock (_gate) return _sent; } }

    /// <summary>Audio before this point (s) has confirmed finals (best estimate).</summary>
    public double Delivered { get { lock (_gate) return _delivered; } }

    /// <summary>True when finals now reach past <paramref name="point"/> (s), beyond rounding.</summary>
    public bool DeliveredPast(double point) => Delivered > point + 1e-3;

    /// <summary>Seconds of audio sent a second time after reconnects.</summary>
    public double Replayed { get { lock (_gate) return _replayed; } }

    /// <summary>Audio the replay buffer dropped before a reconnect could resend it.</summary>
    public IReadOnlyList<TimeRange> Lost { get { lock (_gate) return _lost.ToArray(); } }

    /// <summary>Bytes of packed replay audio held (whole blocks), for measurements.</summary>
    public long KeptBytes { get { lock (_gate) return _store.Capacity; } }

    /// <summary>Places new audio at the end of the timeline and keeps a packed copy for replay (the caller may reuse
    /// <paramref name="data"/> at once).</summary>
    public AudioChunk Append(ReadOnlySpan<byte> data)
    {
        lock (_gate)
        {
            var (at, packed) = _store.Append(data);
            var chunk = new AudioChunk(at, packed, data.Length, _sent, _sent + (double)data.Length / _bytesPerSecond);
            _sent = chunk.End;
            _replay.Enqueue(chunk);
            Trim();
            return chunk;
        }
    }

    /// <summary>Records that <paramref name="chunk"/> went out at <paramref name="ticks"/> (first time or replayed).</summary>
    public void MarkSent(AudioChunk chunk, long ticks, bool replayed)
    {
        lock (_gate)
        {
            if (replayed) _replayed += chunk.Seconds;
            _sendTimes.Add((chunk.End, ticks));
        }
    }

    /// <summary>Finals now reach <paramref name="coverEnd"/>; audio before <paramref name="floor"/> (≤ coverEnd) will
    /// never need replaying.</summary>
    public void MarkDelivered(double coverEnd, double floor)
    {
        lock (_gate)
        {
            if (coverEnd > _delivered) _delivered = Math.Min(coverEnd, _sent);
            floor = Math.Min(floor, _delivered);
            if (floor > _floor) _floor = floor;
            Trim();
            // Send times behind the delivered point are no longer asked for (latency is asked for new results).
            while (_sendTimesHead < _sendTimes.Count - 1 && _sendTimes[_sendTimesHead].End < _delivered - 5) _sendTimesHead++;
            if (_sendTimesHead > 1024) { _sendTimes.RemoveRange(0, _sendTimesHead); _sendTimesHead = 0; }
        }
    }

    private void Trim()
    {
        while (_replay.TryPeek(out var first) && first.End <= _floor + 1e-9 && first.End <= _sent - KeptTail) _replay.Dequeue();
        while (_replay.TryPeek(out var oldest) && _sent - oldest.Start > _capacity)
        {
            _droppedUpTo = oldest.End;
            _replay.Dequeue();
        }
        ReleaseUnneeded();
    }

    /// <summary>Gives back the packed bytes before the first chunk kept or leased.</summary>
    private void ReleaseUnneeded()
    {
        while (_leaseHead < _leased.Count && _leased[_leaseHead].Leases == 0) _leaseHead++;
        if (_leaseHead == _leased.Count) { _leased.Clear(); _leaseHead = 0; }
        long needed = _replay.TryPeek(out var first) ? first.PackedAt : _store.End;
        if (_leaseHead < _leased.Count) needed = Math.Min(needed, _leased[_leaseHead].PackedAt);
        _store.ReleaseBefore(needed);
    }

    /// <summary>A replay has sent <paramref name="chunk"/> (or will not): its packed bytes may go once the ledger let it go.</summary>
    public void EndLease(AudioChunk chunk)
    {
        lock (_gate)
        {
            if (chunk.Leases > 0) chunk.Leases--;
            ReleaseUnneeded();
        }
    }

    /// <summary>Unpacks <paramref name="chunk"/> (kept or leased) into <paramref name="pcm"/> (<see cref="AudioChunk.Length"/> bytes).</summary>
    /// <exception cref="InvalidOperationException">The chunk is neither kept nor leased any more.</exception>
    public void Read(AudioChunk chunk, Span<byte> pcm)
    {
        lock (_gate) _store.Read(chunk.PackedAt, chunk.PackedLength, pcm[..chunk.Length]);
    }

    /// <summary>Gives every block back (the session is over; nothing will be replayed).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _replay.Clear();
            _leased.Clear();
            _leaseHead = 0;
            _store.Clear();
        }
    }

    /// <summary>Plans a new connection: the audio to replay and its offset; records audio the buffer dropped as lost.</summary>
    public ReplayPlan BeginReplay()
    {
        lock (_gate)
        {
            var chunks = _replay.ToArray();
            foreach (var c in chunks) c.Leases++; // ended by EndLease as the replay sends them
            _leased.AddRange(chunks);
            double offset = chunks.Length > 0 ? chunks[0].Start : _sent;
            TimeRange? lost = null;
            if (_droppedUpTo > _floor + 1e-6)
            {
                lost = new TimeRange(_floor, Math.Min(_droppedUpTo, offset));
                _lost.Add(lost.Value);
                _floor = _droppedUpTo;
            }
            // Later send times of replayed audio replace the first ones.
            for (int i = _sendTimes.Count - 1; i >= _sendTimesHead && _sendTimes[i].End > offset + 1e-9; i--) _sendTimes.RemoveAt(i);
            return new ReplayPlan(chunks, offset, lost);
        }
    }

    /// <summary>Frames of 20 ms louder than this (dBFS) count as sound, as the emulators' energy segmenter does.</summary>
    public const double SoundThresholdDb = -40;

    /// <summary>Seconds from the delivered point to the end of the last 20 ms frame with sound in the audio kept after
    /// it (0 when the uncovered tail is silent). Audio the buffer no longer holds counts as sound.</summary>
    public double VoicedTail()
    {
        lock (_gate)
        {
            double from = _delivered, lastSound = from;
            int frame = Math.Max(2, _bytesPerSecond / 50 & ~1);
            double threshold = Math.Pow(10, SoundThresholdDb / 20) * 32768, limit = threshold * threshold * (frame / 2);
            if (_replay.TryPeek(out var first) && first.Start > from + 1e-6) lastSound = first.Start; // dropped: unknown
            byte[]? scratch = null;
            try
            {
                foreach (var chunk in _replay)
                {
                    if (chunk.End <= from) continue;
                    if (scratch is null || scratch.Length < chunk.Length)
                    {
                        if (scratch is not null) System.Buffers.ArrayPool<byte>.Shared.Return(scratch);
                        scratch = System.Buffers.ArrayPool<byte>.Shared.Rent(chunk.Length);
                    }
                    var data = scratch.AsSpan(0, chunk.Length);
                    _store.Read(chunk.PackedAt, chunk.PackedLength, data);
                    for (int at = 0; at + 1 < data.Length; at += frame)
                    {
                        int n = Math.Min(frame, data.Length - at) & ~1;
                        double frameStart = chunk.Start + (double)at / _bytesPerSecond;
                        if (frameStart + (double)n / _bytesPerSecond <= from) continue;
                        double energy = 0;
                        for (int i = at; i + 1 < at + n; i += 2)
                        {
                            short v = (short)(data[i] | (data[i + 1] << 8));
                            energy += (double)v * v;
                        }
                        if (energy * frame > limit * n) lastSound = frameStart + (double)n / _bytesPerSecond;
                    }
                }
            }
            finally
            {
                if (scratch is not null) System.Buffers.ArrayPool<byte>.Shared.Return(scratch);
            }
            return Math.Max(0, lastSound - from);
        }
    }

    /// <summary>Seconds from sending the audio that ends at <paramref name="audioEnd"/> to <paramref name="now"/>.</summary>
    public double? LatencyFor(double audioEnd, long now)
    {
        lock (_gate)
        {
            for (int i = _sendTimesHead; i < _sendTimes.Count; i++)
                if (_sendTimes[i].End >= audioEnd - 1e-6)
                    return Math.Round((now - _sendTimes[i].Ticks) / (double)Stopwatch.Frequency, 3);
            return null;
        }
    }
}
