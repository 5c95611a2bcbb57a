using System.Net.WebSockets;

namespace SpeechStream.Emulator;

internal abstract partial class StreamingEmulator
{
    /// <summary>What this connection does wrong, decided when it opens (counts are per server).</summary>
    private sealed class ConnectionFaults
    {
        public bool Close, Drop, DropAtEnd, ProtocolFault, Flood, Hostile, CloseWithoutCompletion;
        public bool Stalled, ErrorSent, HostileSent, FloodSent, Utf8Sent, OversizedSent;
    }

    /// <summary>The connection loop's fault frames (the rest of the loop is in StreamingEmulator.Connection.cs).</summary>
    private sealed partial class ConnectionLoop
    {
        /// <summary>The frames the faults send at a point of the audio: hostile, protocol errors, a flood, an error.</summary>
        private async Task SendAudioFaultFramesAsync(CancellationToken ct)
        {
            double at = s.AudioSeconds;
            if (my.Hostile && !my.HostileSent && at >= _f.HostileFramesAfterAudioSeconds)
            {
                my.HostileSent = true;
                await s.SendAsync("{\"type\":\"final\",\"text\": broken", ct).ConfigureAwait(false);
                await s.SendAsync("{\"type\":\"mystery\",\"payload\":[1,2,3]}", ct).ConfigureAwait(false);
                await s.SendAsync("[]", ct).ConfigureAwait(false);
                await s.Socket.SendAsync(new byte[] { 0, 1, 2, 3 }, WebSocketMessageType.Binary, true, ct).ConfigureAwait(false);
                Rec.Sent.Enqueue("hostile frames");
            }
            if (my.ProtocolFault && !my.Utf8Sent && at >= _f.InvalidUtf8AfterAudioSeconds)
            {
                my.Utf8Sent = true;
                await s.SendRawTextAsync(new byte[] { (byte)'{', 0xC3, 0x28, 0xFF, (byte)'}' }, "invalid UTF-8 frame", ct).ConfigureAwait(false);
            }
            if (my.ProtocolFault && !my.OversizedSent && at >= _f.OversizedFrameAfterAudioSeconds)
            {
                my.OversizedSent = true;
                var huge = new byte[_f.OversizedFrameBytes];
                huge.AsSpan().Fill((byte)'a');
                "{\"text\":\""u8.CopyTo(huge);
                await s.SendRawTextAsync(huge, $"oversized frame ({_f.OversizedFrameBytes} bytes)", ct).ConfigureAwait(false);
            }
            if (my.Flood && !my.FloodSent && at >= _f.PartialFloodAfterAudioSeconds)
            {
                my.FloodSent = true;
                for (int i = 0; i < _f.PartialFloodCount; i++)
                    if (e.FloodPartial(s, i) is { } p) await e.SendResultAsync(s, p, ct).ConfigureAwait(false);
                Rec.Sent.Enqueue($"flood of {_f.PartialFloodCount} partials");
            }
            if (!my.ErrorSent && _f.ErrorAfterAudioSeconds is double es && at >= es && e.ErrorFrame(_f.ErrorCode, _f.ErrorMessage) is { } err)
            {
                my.ErrorSent = true;
                await s.SendAsync(err, ct).ConfigureAwait(false);
                if (_f.CloseAfterError is int code) await CloseAsync(code, SpeechStream.Engine.Sessions.CloseCodes.Name(code)).ConfigureAwait(false);
            }
        }
    }
}
