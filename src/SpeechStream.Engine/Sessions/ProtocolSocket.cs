using System.Runtime.CompilerServices;
using System.Buffers;
using System.Net.WebSockets;
using System.Text;

namespace SpeechStream.Engine.Sessions;

/// <summary>A received frame, reassembled from its fragments.</summary>
public readonly record struct ReceivedFrame(WebSocketMessageType Type, byte[] Data, int Length, bool Oversized)
{
    public string Text => Encoding.UTF8.GetString(Data, 0, Length);
}

/// <summary>The socket as protocol code sees it: whole frames in and out, with a frame size limit.
/// Only one writer and one reader may use it at a time (the session guarantees it).</summary>
public sealed class ProtocolSocket
{
    private readonly WebSocket _ws;
    private readonly int _maxFrame;
    private byte[] _buffer = new byte[4 * 1024]; // grows (doubling) to the largest frame seen, up to the limit

    public ProtocolSocket(WebSocket ws, int maxFrameBytes)
    {
        _ws = ws;
        _maxFrame = maxFrameBytes;
    }

    public WebSocket WebSocket => _ws;

    public Task SendTextAsync(string text, CancellationToken ct) =>
        _ws.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, ct);

    public ValueTask SendAsync(Providers.OutgoingFrame frame, CancellationToken ct) =>
        _ws.SendAsync(frame.Payload, frame.IsText ? WebSocketMessageType.Text : WebSocketMessageType.Binary, true, ct);

    /// <summary>Receives one whole frame. A frame that grows past the limit is returned at once with
    /// <c>Oversized</c> set and no data (the rest is not read: the caller closes with 1009). A close returns type Close.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ReceivedFrame> ReceiveAsync(CancellationToken ct)
    {
        int length = 0;
        while (true)
        {
            if (length == _buffer.Length)
            {
                if (_buffer.Length >= _maxFrame) return new ReceivedFrame(WebSocketMessageType.Text, Array.Empty<byte>(), 0, true);
                Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, _maxFrame));
            }
            var r = await _ws.ReceiveAsync(_buffer.AsMemory(length), ct).ConfigureAwait(false);
            if (r.MessageType == WebSocketMessageType.Close) return new ReceivedFrame(WebSocketMessageType.Close, _buffer, 0, false);
            length += r.Count;
            if (r.EndOfMessage)
            {
                if (length > _maxFrame) return new ReceivedFrame(r.MessageType, Array.Empty<byte>(), 0, true);
                return new ReceivedFrame(r.MessageType, _buffer, length, false);
            }
        }
    }

    /// <summary>True when a receive failed because the server broke the WebSocket protocol: a text frame that is not
    /// valid UTF-8, or a malformed frame. .NET then closes with 1007 or 1002 itself and reports a bare
    /// <see cref="WebSocketError.Faulted"/>; a dropped connection is <see cref="WebSocketError.ConnectionClosedPrematurely"/>
    /// or carries the network error inside.</summary>
    public static bool IsProtocolViolation(WebSocketException e, WebSocket ws) =>
        ws.CloseStatus is WebSocketCloseStatus.InvalidPayloadData or WebSocketCloseStatus.ProtocolError
        || (e.WebSocketErrorCode == WebSocketError.Faulted && e.InnerException is null);
}
