using System.Net.WebSockets;
using System.Text;

namespace SpeechStream.Engine.Sessions;

/// <summary>A received frame, reassembled from its fragments.</summary>
public readonly record struct ReceivedFrame(WebSocketMessageType Type, byte[] Data, int Length, bool Oversized)
{
    /// <summary>The frame's bytes decoded as UTF-8 (for logging; parsers read <see cref="Data"/>).</summary>
    public string Text => Encoding.UTF8.GetString(Data, 0, Length);
}
