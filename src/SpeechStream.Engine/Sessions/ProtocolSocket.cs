using System.Runtime.CompilerServices;
using System.Buffers;
using System.Net.WebSockets;
using System.Text;

namespace SpeechStream.Engine.Sessions;

/// <summary>The socket as protocol code sees it: whole frames in and out, with a frame size limit.
/// Only one writer and one reader may use it at a time (the session guarantees it).</summary>
public sealed class ProtocolSocket
{
    /// <summary>The first buffer rented for a frame; it doubles, up to the limit, for a larger one.</summary>
    private const int InitialBuffer = 4 * 1024;

    private readonly WebSocket _ws;
    private readonly int _maxFrame;
    private byte[]? _buffer; // rented for the frame last returned; given back at the next receive

    /// <param name="ws">The open socket (owned by the caller's connection; disposed with it).</param>
    /// <param name="maxFrameBytes">Frames larger than this many bytes are not reassembled (<see cref="ReceivedFrame.Oversized"/>).</param>
    public ProtocolSocket(WebSocket ws, int maxFrameBytes)
    {
        _ws = ws;
        _maxFrame = maxFrameBytes;
    }

    /// <summary>The underlying socket (its state, close status, and close frames).</summary>
    public WebSocket WebSocket => _ws;

    /// <summary>Sends <paramref name="text"/> as one UTF-8 text frame.</summary>
    /// <exception cref="WebSocketException">The connection failed.</exception>
    /// <exception cref="OperationCanceledException">Cancelled (the socket is then aborted).</exception>
    public Task SendTextAsync(string text, CancellationToken ct) =>
        _ws.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, ct);

    /// <summary>Sends <paramref name="frame"/> as one text or binary frame.</summary>
    /// <exception cref="WebSocketException">The connection failed.</exception>
    /// <exception cref="OperationCanceledException">Cancelled (the socket is then aborted).</exception>
    public ValueTask SendAsync(Providers.OutgoingFrame frame, CancellationToken ct) =>
        _ws.SendAsync(frame.Payload, frame.IsText ? WebSocketMessageType.Text : WebSocketMessageType.Binary, true, ct);

    /// <summary>Receives one whole frame; its data is valid until the next receive. A frame that grows past the limit
    /// is returned at once with <c>Oversized</c> set and no data (the rest is not read: the caller closes with 1009).
    /// A close returns type Close.</summary>
    /// <remarks>While waiting for a frame the socket holds no buffer: a zero-byte receive waits for the next frame
    /// (supported by .NET's managed WebSocket since .NET 7), and only then is a buffer rented from the shared pool. A
    /// session waits between results most of its life, so a thousand sessions hold a handful of buffers, not a thousand.</remarks>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ReceivedFrame> ReceiveAsync(CancellationToken ct)
    {
        GiveBack();
        var first = await _ws.ReceiveAsync(Memory<byte>.Empty, ct).ConfigureAwait(false);
        if (first.MessageType == WebSocketMessageType.Close) return new ReceivedFrame(WebSocketMessageType.Close, Array.Empty<byte>(), 0, false);
        if (first.EndOfMessage) return new ReceivedFrame(first.MessageType, Array.Empty<byte>(), 0, false); // an empty frame
        var buffer = _buffer = ArrayPool<byte>.Shared.Rent(Math.Min(InitialBuffer, _maxFrame));
        int length = 0;
        while (true)
        {
            int room = Math.Min(buffer.Length, _maxFrame); // a rented array may be longer than asked
            if (length == room)
            {
                if (room >= _maxFrame) return new ReceivedFrame(WebSocketMessageType.Text, Array.Empty<byte>(), 0, true);
                var larger = ArrayPool<byte>.Shared.Rent(Math.Min(room * 2, _maxFrame));
                buffer.AsSpan(0, length).CopyTo(larger);
                GiveBack();
                buffer = _buffer = larger;
                room = Math.Min(buffer.Length, _maxFrame);
            }
            var r = await _ws.ReceiveAsync(buffer.AsMemory(length, room - length), ct).ConfigureAwait(false);
            if (r.MessageType == WebSocketMessageType.Close) return new ReceivedFrame(WebSocketMessageType.Close, Array.Empty<byte>(), 0, false);
            length += r.Count;
            if (r.EndOfMessage)
            {
                if (length > _maxFrame) return new ReceivedFrame(r.MessageType, Array.Empty<byte>(), 0, true);
                return new ReceivedFrame(r.MessageType, buffer, length, false);
            }
        }
    }

    private void GiveBack()
    {
        if (_buffer is null) return;
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = null;
    }

    /// <summary>True when a receive failed because the server broke the WebSocket protocol: a text frame that is not
    /// valid UTF-8, or a malformed frame. .NET then closes with 1007 or 1002 itself and reports a bare
    /// <see cref="WebSocketError.Faulted"/>; a dropped connection is <see cref="WebSocketError.ConnectionClosedPrematurely"/>
    /// or carries the network error inside.</summary>
    public static bool IsProtocolViolation(WebSocketException e, WebSocket ws) =>
        ws.CloseStatus is WebSocketCloseStatus.InvalidPayloadData or WebSocketCloseStatus.ProtocolError
        || (e.WebSocketErrorCode == WebSocketError.Faulted && e.InnerException is null);
}
