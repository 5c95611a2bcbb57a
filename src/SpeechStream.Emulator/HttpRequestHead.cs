namespace SpeechStream.Emulator;

/// <summary>The HTTP request line and headers of one connection, as the emulator's server read them (before any
/// WebSocket upgrade).</summary>
public sealed class HttpRequestHead
{
    /// <summary>The request method, e.g. <c>GET</c>.</summary>
    public required string Method { get; init; }

    /// <summary>The path of the request target, without the query, e.g. <c>/ws</c>.</summary>
    public required string Path { get; init; }

    /// <summary>The query parameters, unescaped (<c>+</c> read as a space in values); of a repeated parameter, the first
    /// value only (<see cref="EmulatedConnection.QueryValues"/> has them all).</summary>
    public required Dictionary<string, string> Query { get; init; }

    /// <summary>The request headers, names case-insensitive; of a repeated header, the last value.</summary>
    public required Dictionary<string, string> Headers { get; init; }

    /// <summary>The query string as sent, without the <c>?</c>; empty when there is none.</summary>
    public string RawQuery { get; init; } = "";

    /// <summary>True when the request asks for a WebSocket upgrade (header <c>Upgrade: websocket</c>, any case).</summary>
    public bool IsWebSocket => Headers.TryGetValue("Upgrade", out var u) && u.Equals("websocket", StringComparison.OrdinalIgnoreCase);

    /// <summary>The value of header <paramref name="name"/> (case-insensitive), or null when the request has none.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;
}
