using System.Net.WebSockets;

namespace SpeechStream.Engine.Sessions;

/// <summary>How a connection's reading ended, for <see cref="ConnectionRunner"/> to interpret.</summary>
internal abstract record ReceiveEnd
{
    /// <summary>The server's close frame.</summary>
    public sealed record Closed(int Code, string? Reason) : ReceiveEnd;
    /// <summary>The connection went away without one (1006, a network error).</summary>
    public sealed record Dropped(Exception Error) : ReceiveEnd;
    /// <summary>A frame that breaks the protocol: we close with <paramref name="Status"/> (1007, 1009).</summary>
    public sealed record Broken(string Problem, WebSocketCloseStatus Status) : ReceiveEnd;
    /// <summary>The provider's error frame.</summary>
    public sealed record Failed(AsrException Error) : ReceiveEnd;
}
