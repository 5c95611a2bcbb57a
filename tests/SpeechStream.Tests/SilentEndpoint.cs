using System.Net;
using System.Net.Sockets;

namespace SpeechStream.Tests;

/// <summary>A loopback listener that accepts nothing: pointed at as a provider's endpoint, it sees any connection
/// attempt, so a test can assert that a refusal came before anything connected.</summary>
internal sealed class SilentEndpoint : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

    public SilentEndpoint() => _listener.Start();

    /// <summary>A ws:// URL on the listener, e.g. <c>ws://127.0.0.1:PORT/ws</c>.</summary>
    public string Url => $"ws://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/ws";

    /// <summary>True when a connection attempt is waiting.</summary>
    public bool SawConnection => _listener.Pending();

    public void Dispose() => _listener.Stop();
}
