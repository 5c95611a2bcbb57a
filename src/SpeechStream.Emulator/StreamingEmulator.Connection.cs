using System.Net.WebSockets;
using System.Text;

namespace SpeechStream.Emulator;

internal abstract partial class StreamingEmulator
{
    /// <summary>
    /// One accepted connection, on one task: reads frames (audio feeds the recogniser, text is classified by the
    /// provider), wakes on the recogniser's clock to send what it has heard, completes once the end of stream has
    /// been heard, and puts on the connection's faults. After the emulator's own close it reads on until the client's
    /// close (5 s at most), so a client that answers the close handshake is seen doing it.
    /// </summary>
    private sealed partial class ConnectionLoop(StreamingEmulator e, EmulatedStream s, ConnectionFaults my, DateTimeOffset? expiry)
    {
        private enum Step { Continue, Stop }

        private readonly EmulatorFaults _f = e.Options.Faults;
        private EmulatedConnection Rec => s.Record;
        private bool _idleFlushed, _completed;
        private double _lastFrameAt = s.Elapsed, _lastAudioAt = s.Elapsed, _closedAt = double.NaN; // _closedAt: our close
        private byte[] _buf = new byte[64 * 1024];

        private bool Closing => !double.IsNaN(_closedAt);

        public async Task RunAsync(CancellationToken ct)
        {
            Task<(WebSocketMessageType Type, int Length)>? pending = null;
            while (true)
            {
                pending ??= ReceiveWholeAsync(ct);
                var wake = Closing ? TimeSpan.FromSeconds(Math.Max(0.01, 5 - (s.Elapsed - _closedAt))) : NextWake();
                if (wake is TimeSpan w && await Task.WhenAny(pending, Task.Delay(w, ct)).ConfigureAwait(false) != pending)
                {
                    if (await OnWakeAsync(ct).ConfigureAwait(false) == Step.Stop) return;
                    continue;
                }
                (WebSocketMessageType type, int len) frame;
                try { frame = await pending.ConfigureAwait(false); }
                catch (WebSocketException)
                {
                    if (!Rec.EndOfStreamReceived && !e.NoEndOfStreamMessage) s.Server.Violation("connection dropped without end of stream");
                    Rec.Ending = "dropped";
                    return;
                }
                pending = null;
                if (await OnFrameAsync(frame.type, frame.len, ct).ConfigureAwait(false) == Step.Stop) return;
            }
        }

        private async Task CloseAsync(int code, string reason)
        {
            await s.CloseAsync(code, reason).ConfigureAwait(false);
            _closedAt = s.Elapsed;
        }

        private Step Drop(string why)
        {
            Rec.Ending = why;
            s.Socket.Abort(); // no close frame: the client sees the connection torn down (1006)
            return Step.Stop;
        }

        /// <summary>When the loop must wake without a frame: the recogniser is behind (every tick), an idle flush or
        /// idle timeout is due; null: only a frame can change anything.</summary>
        private TimeSpan? NextWake()
        {
            double wait = double.MaxValue;
            if (!s.CaughtUp || (Rec.EndOfStreamReceived && !_completed && !_f.StallAfterEndOfStream && !my.Stalled)) wait = Tick.TotalSeconds;
            if (e.NoEndOfStreamMessage && !_idleFlushed && Rec.AudioBytes > 0)
                wait = Math.Min(wait, Math.Max(Tick.TotalSeconds, e.IdleFlush.TotalSeconds - (s.Elapsed - _lastAudioAt)));
            if (_f.IdleTimeoutSeconds is double idle) wait = Math.Min(wait, Math.Max(0.01, idle - (s.Elapsed - _lastFrameAt)));
            return wait == double.MaxValue ? null : TimeSpan.FromSeconds(wait);
        }

        /// <summary>No frame came in time: the close went unanswered, an idle timeout, results due, the completion, or
        /// the idle flush of a protocol without end-of-stream message.</summary>
        private async Task<Step> OnWakeAsync(CancellationToken ct)
        {
            if (Closing) return Step.Stop; // the client never answered our close
            if (_f.IdleTimeoutSeconds is double idle && s.Elapsed - _lastFrameAt >= idle)
            {
                await CloseAsync(1008, "idle timeout").ConfigureAwait(false);
                return Step.Continue;
            }
            if (!my.Stalled) await SendDueAsync(ct).ConfigureAwait(false);
            if (Rec.EndOfStreamReceived && !_completed && s.CaughtUp)
            {
                _completed = true;
                if (await CompleteAsync(ct).ConfigureAwait(false)) _closedAt = s.Elapsed;
            }
            else if (e.NoEndOfStreamMessage && !_idleFlushed && Rec.AudioBytes > 0 && s.Elapsed - _lastAudioAt >= e.IdleFlush.TotalSeconds
                     && (s.CaughtUp || my.CloseWithoutCompletion || my.DropAtEnd))
            {
                return await IdleFlushAsync(ct).ConfigureAwait(false);
            }
            return Step.Continue;
        }

        /// <summary>The client stopped sending: its end of stream, as far as a protocol without one can tell (Speechall
        /// README, "End of stream"). Flush what is owed, unless a fault says otherwise.</summary>
        private async Task<Step> IdleFlushAsync(CancellationToken ct)
        {
            _idleFlushed = true;
            if (my.DropAtEnd) return Drop("dropped at the end of stream by fault");
            if (my.CloseWithoutCompletion)
            {
                await CloseAsync(1000, "").ConfigureAwait(false);
                return Step.Continue;
            }
            if (!_f.StallAfterEndOfStream && !my.Stalled)
                foreach (var r in s.Finish()) await e.SendResultAsync(s, r, ct).ConfigureAwait(false);
            return Step.Continue;
        }

        private async Task<Step> OnFrameAsync(WebSocketMessageType type, int len, CancellationToken ct)
        {
            _lastFrameAt = s.Elapsed;
            if (Closing)
            {
                // After our close: the client's close ends the exchange; audio meanwhile is in flight, text is recorded.
                if (type == WebSocketMessageType.Close) { Rec.ClientCloseCode = s.Socket.CloseStatus is { } c ? (int)c : null; Rec.ClientClosedAt = s.Elapsed; return Step.Stop; }
                if (type == WebSocketMessageType.Text) Rec.TextFrames.Enqueue(Encoding.UTF8.GetString(_buf, 0, len));
                else if (Rec.EndOfStreamReceived) s.Server.Violation("audio received after the end of stream");
                return Step.Continue;
            }
            if (expiry is DateTimeOffset exp && DateTimeOffset.UtcNow >= exp && type != WebSocketMessageType.Close)
            {
                await CloseAsync(1008, "Token expired").ConfigureAwait(false);
                return Step.Continue;
            }
            if (type == WebSocketMessageType.Close) return await OnClientCloseAsync(ct).ConfigureAwait(false);
            byte[]? audio = null;
            if (type == WebSocketMessageType.Binary)
            {
                if (e.AudioInTextFrames) s.Server.Violation($"a binary frame of {len} bytes where JSON audio frames were expected");
                else audio = _buf.AsSpan(0, len).ToArray(); // kept: the stream's history holds it
            }
            else
            {
                var (step, textAudio) = await OnTextAsync(Encoding.UTF8.GetString(_buf, 0, len), ct).ConfigureAwait(false);
                if (step == Step.Stop) return step;
                audio = textAudio;
            }
            return audio is null ? Step.Continue : await OnAudioAsync(audio, ct).ConfigureAwait(false);
        }

        private async Task<Step> OnClientCloseAsync(CancellationToken ct)
        {
            Rec.ClientCloseCode = s.Socket.CloseStatus is { } cs ? (int)cs : null;
            Rec.ClientClosedAt = s.Elapsed;
            if (!Rec.EndOfStreamReceived && !e.NoEndOfStreamMessage) s.Server.Violation("client closed the connection without end of stream");
            // No end-of-stream message: the client's close ends the stream; flush what is owed first.
            if (e.NoEndOfStreamMessage && !_idleFlushed && Rec.AudioBytes > 0)
                foreach (var r in s.Finish()) await e.SendResultAsync(s, r, ct).ConfigureAwait(false);
            Rec.Ending ??= "client-close";
            try { await s.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", ct).ConfigureAwait(false); } catch (WebSocketException) { }
            return Step.Stop;
        }

        /// <summary>A text frame: audio (VoxNexus), a flush, or the end of stream; the audio it carried, if any.</summary>
        private async Task<(Step, byte[]?)> OnTextAsync(string text, CancellationToken ct)
        {
            var meaning = e.ClassifyText(s, text);
            if (meaning.Kind != TextKind.Audio) Rec.TextFrames.Enqueue(text);
            if (meaning.Violation is not null) s.Server.Violation(meaning.Violation);
            switch (meaning.Kind)
            {
                case TextKind.Audio:
                    return (Step.Continue, meaning.Audio);
                case TextKind.Flush:
                    await e.FlushAsync(s, ct).ConfigureAwait(false);
                    break;
                case TextKind.EndOfStream when Rec.EndOfStreamReceived:
                    if (await e.OnRepeatedEndAsync(s, text).ConfigureAwait(false)) _closedAt = s.Elapsed;
                    break;
                case TextKind.EndOfStream:
                    return (await OnEndOfStreamAsync(ct).ConfigureAwait(false), null);
            }
            return (Step.Continue, null);
        }

        private async Task<Step> OnEndOfStreamAsync(CancellationToken ct)
        {
            Rec.EndOfStreamReceived = true;
            if (my.DropAtEnd) return Drop("dropped at the end of stream by fault");
            if (_f.StallAfterEndOfStream || my.Stalled) return Step.Continue; // keep reading, never answer
            if (my.CloseWithoutCompletion)
            {
                await CloseAsync(1000, "").ConfigureAwait(false);
                return Step.Continue;
            }
            if (_f.CompletionDelay > TimeSpan.Zero) await Task.Delay(_f.CompletionDelay, ct).ConfigureAwait(false);
            if (s.CaughtUp)
            {
                _completed = true;
                if (await CompleteAsync(ct).ConfigureAwait(false)) _closedAt = s.Elapsed;
            }
            return Step.Continue;
        }

        private async Task<Step> OnAudioAsync(byte[] audio, CancellationToken ct)
        {
            _idleFlushed = false;
            _lastAudioAt = s.Elapsed;
            s.OnAudio(audio);
            my.Stalled |= _f.StallAfterAudioSeconds is double st && s.AudioSeconds >= st;
            if (!my.Stalled && !Rec.EndOfStreamReceived) await SendDueAsync(ct).ConfigureAwait(false);
            await SendAudioFaultFramesAsync(ct).ConfigureAwait(false);
            if (my.Drop && s.AudioSeconds >= _f.DropAfterAudioSeconds) return Drop("dropped by fault");
            if (my.Close && s.AudioSeconds >= _f.CloseAfterAudioSeconds) await CloseAsync(_f.CloseCode, _f.CloseReason).ConfigureAwait(false);
            return Step.Continue;
        }

        private async Task SendDueAsync(CancellationToken ct)
        {
            foreach (var r in s.Recognise()) await e.SendResultAsync(s, r, ct).ConfigureAwait(false);
        }

        /// <summary>The last finals and the completion, in the order the faults ask. True when the emulator closed the
        /// connection (the loop then waits for the client's close).</summary>
        private async Task<bool> CompleteAsync(CancellationToken ct)
        {
            var last = s.Finish();
            if (_f.ResultsAfterCompletion is TimeSpan late && !e.ServerClosesAfterCompletion)
            {
                await e.SendCompletionAsync(s, ct).ConfigureAwait(false);
                await Task.Delay(late, ct).ConfigureAwait(false);
                foreach (var r in last) await e.SendResultAsync(s, r, ct).ConfigureAwait(false);
            }
            else
            {
                if (_f.ResultsAfterCompletion is TimeSpan delay) await Task.Delay(delay, ct).ConfigureAwait(false);
                await e.SendLastAsync(s, last, ct).ConfigureAwait(false);
            }
            Rec.CompletionSentAt = s.Elapsed;
            if (!e.ServerClosesAfterCompletion) return false; // the client closes
            await s.CloseAsync(1000, "").ConfigureAwait(false);
            return true;
        }

        /// <summary>Reads one whole message into the growing buffer.</summary>
        private async Task<(WebSocketMessageType, int)> ReceiveWholeAsync(CancellationToken ct)
        {
            int len = 0;
            while (true)
            {
                if (len == _buf.Length) Array.Resize(ref _buf, _buf.Length * 2);
                var res = await s.Socket.ReceiveAsync(_buf.AsMemory(len), ct).ConfigureAwait(false);
                if (res.MessageType == WebSocketMessageType.Close) return (WebSocketMessageType.Close, 0);
                len += res.Count;
                if (res.EndOfMessage) return (res.MessageType, len);
            }
        }
    }
}
