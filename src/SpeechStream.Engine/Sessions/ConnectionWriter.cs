using System.Buffers;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace SpeechStream.Engine.Sessions;

/// <summary>
/// The single writer of one connection: replays the audio the ledger kept, then sends queued audio from the session's
/// FIFO (audio, keepalive silence, the end of stream, a renewal request), and records on the <see cref="Connection"/>
/// when the first audio and the end of stream went out. Made and run by <see cref="ConnectionRunner"/>.
/// </summary>
internal sealed class ConnectionWriter(SessionParts s, Connection conn)
{
    private readonly SessionParts _s = s;
    private readonly Connection _conn = conn;
    /// <summary>Set by the renewal timer; the writer sends the end of stream at its next item.</summary>
    private volatile bool _renewRequested;

    /// <summary>Starts the timer that asks for a renewal at the connection's <see cref="Connection.RenewAt"/> (null:
    /// never); dispose it when the connection ends.</summary>
    public Timer? StartRenewalTimer()
    {
        if (_conn.RenewAt is not DateTimeOffset at) return null;
        var due = at - DateTimeOffset.UtcNow;
        due = due < TimeSpan.Zero ? TimeSpan.Zero : due > TimeSpan.FromDays(1) ? TimeSpan.FromDays(1) : due;
        return new Timer(_ =>
        {
            if (_conn.EndSent) return;
            _renewRequested = true;
            _s.Queue.TryEnqueue(new QueueItem.Renew(_conn.Generation));
        }, null, due, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Stops waiting for audio when the connection ended (<paramref name="receive"/> completed: its
    /// continuation queues <see cref="QueueItem.Wake"/>; a full queue needs none, its next item is read at once).</summary>
    /// <param name="ct">Cancels sends: only the session's own cancellation may (cancelling a send aborts the socket,
    /// and a connection that completes must still say goodbye with its close frame).</param>
    public async Task WriteLoopAsync(ReplayPlan plan, Task receive, CancellationToken ct)
    {
        await ReplayAsync(plan, receive, ct).ConfigureAwait(false);
        if (receive.IsCompleted) return;
        if (_s.Queue.EndTaken)
        {
            await SendEndAsync(ct, renewing: false).ConfigureAwait(false);
            return;
        }
        var reader = _s.Queue.Reader;
        while (!receive.IsCompleted && await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            while (reader.TryRead(out var item))
            {
                switch (item)
                {
                    case QueueItem.Audio audio:
                        var chunk = _s.Ledger.Append(audio.Pcm.Span); // kept for replay even if this connection is gone
                        if (receive.IsCompleted) return;
                        await SendAudioAsync(chunk, audio.Pcm, replayed: false, ct).ConfigureAwait(false);
                        AudioQueue.Recycle(audio); // sent: the ledger has its own copy
                        break;
                    case QueueItem.KeepAlive when _s.Queue.IsIdle && !receive.IsCompleted:
                        _s.CountKeepAlive();
                        _s.Log.LogDebug("{Provider}: no audio for a while; sending 100 ms of silence to keep the connection alive.", _s.Provider);
                        var silence = new byte[_s.BytesPerSecond / 10];
                        await SendAudioAsync(_s.Ledger.Append(silence), silence, replayed: false, ct).ConfigureAwait(false);
                        break;
                    case QueueItem.End:
                        _s.Queue.MarkEndTaken();
                        await SendEndAsync(ct, renewing: false).ConfigureAwait(false);
                        return;
                }
                if (_renewRequested && !_conn.EndSent)
                {
                    _s.Log.LogInformation("{Provider}: renewing the connection before its credential expires.", _s.Provider);
                    await SendEndAsync(ct, renewing: true).ConfigureAwait(false);
                    return;
                }
            }
        }
    }

    /// <summary>Sends the audio the ledger kept, unpacked a chunk at a time into one pooled buffer, and ends every
    /// chunk's lease, sent or not (it stops when the connection ends).</summary>
    private async Task ReplayAsync(ReplayPlan plan, Task receive, CancellationToken ct)
    {
        if (plan.Chunks.Count == 0) return;
        if (_conn.Generation > 0)
            _s.Log.LogInformation("{Provider}: replaying {Seconds:0.00} s of audio from {Offset:0.00} s after reconnecting.",
                _s.Provider, plan.Chunks.Sum(c => c.Seconds), plan.OffsetSeconds);
        var buffer = ArrayPool<byte>.Shared.Rent(plan.Chunks.Max(c => c.Length));
        int sent = 0;
        try
        {
            for (; sent < plan.Chunks.Count && !receive.IsCompleted; _s.Ledger.EndLease(plan.Chunks[sent++]))
            {
                _s.Ledger.Read(plan.Chunks[sent], buffer);
                await SendAudioAsync(plan.Chunks[sent], buffer.AsMemory(0, plan.Chunks[sent].Length), replayed: true, ct).ConfigureAwait(false);
            }
            ArrayPool<byte>.Shared.Return(buffer);
        }
        finally
        {
            for (; sent < plan.Chunks.Count; sent++) _s.Ledger.EndLease(plan.Chunks[sent]); // not sent: no longer in use
        }
    }

    /// <param name="pcm">The chunk's audio (<see cref="AudioChunk.Length"/> bytes).</param>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendAudioAsync(AudioChunk chunk, ReadOnlyMemory<byte> pcm, bool replayed, CancellationToken ct)
    {
        long now = _s.Clock.ElapsedTicks;
        _conn.MarkAudioSent(now);
        // Marked before sending: the server's answer to this chunk may be read before SendAsync returns, and its
        // latency is measured from this send time.
        _s.Ledger.MarkSent(chunk, now, replayed);
        await _conn.Socket.SendAsync(_s.Protocol.EncodeAudio(pcm), ct).ConfigureAwait(false);
    }

    /// <param name="renewing">The end of stream renews the credential; the audio has not ended.</param>
    private async Task SendEndAsync(CancellationToken ct, bool renewing)
    {
        // Marked before sending: a server may complete and close on the first end frame (Voxist's {"eof":1}) while
        // the next one (Done) is still going out; that close is a completion, not a close before the end.
        _conn.MarkEndSent(_s.Clock.ElapsedTicks, renewing);
        foreach (var frame in _s.Protocol.EndOfStream(_conn.Context))
            await _conn.Socket.SendAsync(frame, ct).ConfigureAwait(false);
        _s.Log.LogDebug("{Provider}: end of stream sent after {Seconds:0.00} s of audio.", _s.Provider, _s.Ledger.SentSeconds);
    }
}
