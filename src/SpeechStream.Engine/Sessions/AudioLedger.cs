using System.Buffers;

namespace SpeechStream.Engine.Sessions;

/// <summary>
/// The audio of one session on the file's timeline (seconds from the start of the file): what was handed to a
/// connection (<see cref="SentSeconds"/>), how far confirmed finals reach (<see cref="DeliveredSeconds"/>), the audio kept for
/// replay after a reconnect (from the replay floor: the delivered point, less a margin where the provider sends no
/// times; and always the last <see cref="KeptTailSeconds"/> seconds), what was lost when the replay buffer overflowed, and when each chunk went out (for latency). One lock:
/// the connection writer appends, its receive loop marks delivery, the supervisor plans the replay. Its parts: the
/// <see cref="ReplayBuffer"/>, the <see cref="SendTimes"/> (latency) and <see cref="SoundFrames"/> (the voiced tail).
/// The replay audio is kept packed without loss in pooled blocks (<see cref="ReplayBuffer"/> over a <see cref="ReplayStore"/>), given back as soon as
/// finals cover it and no replay is sending it: it is most of a session's memory (a real-time session holds every
/// second since its last final; before a 4.8 s first final, 150 KB of 16 kHz PCM, 90 KB packed).
/// </summary>
internal sealed class AudioLedger
{
    /// <summary>The last seconds sent are always kept, so a new connection hears some context before new audio
    /// (a word cut at a renewal is heard whole; a server can tell a replay from a new stream).</summary>
    public const double KeptTailSeconds = 2.0;

    /// <summary>Frames of 20 ms louder than this (dBFS) count as sound (<see cref="SoundFrames.ThresholdDb"/>).</summary>
    public const double SoundThresholdDb = SoundFrames.ThresholdDb;

    private readonly object _gate = new();
    private readonly ReplayBuffer _buffer;
    private readonly SendTimes _sendTimes = new();
    private readonly List<TimeRange> _lost = new();
    private readonly int _bytesPerSecond;
    /// <summary>File times (s): the audio sent, how far finals reach, and the replay floor; seconds replayed.</summary>
    private double _sent, _delivered, _floor, _replayed;

    /// <param name="replayCapacity">Most audio kept for replay, in seconds (SessionOptions.ReplayBuffer).</param>
    /// <param name="bytesPerSecond">PCM s16le mono bytes per second at the session's rate.</param>
    /// <param name="pack">Keep the replay audio packed (SessionOptions.PackReplayAudio), else as it is.</param>
    public AudioLedger(double replayCapacity, int bytesPerSecond, bool pack = true)
    {
        _buffer = new ReplayBuffer(replayCapacity, pack);
        _bytesPerSecond = bytesPerSecond;
    }

    /// <summary>Seconds of distinct audio handed to connections.</summary>
    public double SentSeconds { get { lock (_gate) return _sent; } }

    /// <summary>Audio before this point (s) has confirmed finals (best estimate).</summary>
    public double DeliveredSeconds { get { lock (_gate) return _delivered; } }

    /// <summary>True when finals now reach past <paramref name="point"/> (s), beyond rounding.</summary>
    public bool DeliveredPast(double point) => DeliveredSeconds > point + 1e-3;

    /// <summary>Seconds of audio sent a second time after reconnects.</summary>
    public double ReplayedSeconds { get { lock (_gate) return _replayed; } }

    /// <summary>Audio the replay buffer dropped before a reconnect could resend it.</summary>
    public IReadOnlyList<TimeRange> Lost { get { lock (_gate) return _lost.ToArray(); } }

    /// <summary>Bytes of packed replay audio held (whole blocks), for measurements.</summary>
    public long KeptBytes { get { lock (_gate) return _buffer.KeptBytes; } }

    /// <summary>Places new audio at the end of the timeline and keeps a packed copy for replay (the caller may reuse
    /// <paramref name="data"/> at once).</summary>
    public AudioChunk Append(ReadOnlySpan<byte> data)
    {
        lock (_gate)
        {
            var chunk = _buffer.Keep(data, _sent, _sent + (double)data.Length / _bytesPerSecond);
            _sent = chunk.End;
            _buffer.Trim(_floor, _sent);
            return chunk;
        }
    }

    /// <summary>Records that <paramref name="chunk"/> went out at <paramref name="ticks"/> (Stopwatch ticks; first time or replayed).</summary>
    public void MarkSent(AudioChunk chunk, long ticks, bool replayed)
    {
        lock (_gate)
        {
            if (replayed) _replayed += chunk.Seconds;
            _sendTimes.Add(chunk.End, ticks);
        }
    }

    /// <summary>Finals now reach <paramref name="coverEnd"/> (s); audio before <paramref name="floor"/> (s, ≤ coverEnd)
    /// will never need replaying.</summary>
    public void MarkDelivered(double coverEnd, double floor)
    {
        lock (_gate)
        {
            if (coverEnd > _delivered) _delivered = Math.Min(coverEnd, _sent);
            floor = Math.Min(floor, _delivered);
            if (floor > _floor) _floor = floor;
            _buffer.Trim(_floor, _sent);
            _sendTimes.ForgetBefore(_delivered);
        }
    }

    /// <summary>A replay has sent <paramref name="chunk"/> (or will not): its packed bytes may go once the ledger let it go.</summary>
    public void EndLease(AudioChunk chunk)
    {
        lock (_gate) _buffer.EndLease(chunk);
    }

    /// <summary>Unpacks <paramref name="chunk"/> (kept or leased) into <paramref name="pcm"/> (<see cref="AudioChunk.Length"/> bytes).</summary>
    /// <exception cref="InvalidOperationException">The chunk is neither kept nor leased any more.</exception>
    public void Read(AudioChunk chunk, Span<byte> pcm)
    {
        lock (_gate) _buffer.Read(chunk, pcm);
    }

    /// <summary>Gives every block back (the session is over; nothing will be replayed).</summary>
    public void Clear()
    {
        lock (_gate) _buffer.Clear();
    }

    /// <summary>Plans a new connection: the audio to replay and its offset; records audio the buffer dropped as lost.</summary>
    public ReplayPlan BeginReplay()
    {
        lock (_gate)
        {
            var chunks = _buffer.Lease(); // ended by EndLease as the replay sends them
            double offset = chunks.Length > 0 ? chunks[0].Start : _sent;
            TimeRange? lost = null;
            double droppedUpTo = _buffer.DroppedUpToSeconds;
            if (droppedUpTo > _floor + 1e-6)
            {
                lost = new TimeRange(_floor, Math.Min(droppedUpTo, offset));
                _lost.Add(lost.Value);
                _floor = droppedUpTo;
            }
            _sendTimes.DropAfter(offset); // later send times of replayed audio replace the first ones
            return new ReplayPlan(chunks, offset, lost);
        }
    }

    /// <summary>Seconds from the delivered point to the end of the last 20 ms frame with sound in the audio kept after
    /// it (0 when the uncovered tail is silent). Audio the buffer no longer holds counts as sound.</summary>
    public double VoicedTail()
    {
        lock (_gate)
        {
            double from = _delivered, lastSound = from;
            if (_buffer.FirstStartSeconds is double first && first > from + 1e-6) lastSound = first; // dropped: unknown
            byte[]? scratch = null;
            try
            {
                foreach (var chunk in _buffer.Kept)
                {
                    if (chunk.End <= from) continue;
                    if (scratch is null || scratch.Length < chunk.Length)
                    {
                        if (scratch is not null) ArrayPool<byte>.Shared.Return(scratch);
                        scratch = ArrayPool<byte>.Shared.Rent(chunk.Length);
                    }
                    var data = scratch.AsSpan(0, chunk.Length);
                    _buffer.Read(chunk, data);
                    if (SoundFrames.LastSoundEnd(data, chunk.Start, _bytesPerSecond, from) is double end) lastSound = end;
                }
            }
            finally
            {
                if (scratch is not null) ArrayPool<byte>.Shared.Return(scratch);
            }
            return Math.Max(0, lastSound - from);
        }
    }

    /// <summary>Seconds from sending the audio that ends at <paramref name="audioEnd"/> (s) to <paramref name="now"/>
    /// (Stopwatch ticks); null when no send reaches that far.</summary>
    public double? LatencyFor(double audioEnd, long now)
    {
        lock (_gate) return _sendTimes.LatencySeconds(audioEnd, now);
    }
}
