using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;

namespace SpeechStream.Emulator;

/// <summary>
/// A loopback server that speaks a provider's protocol as its seed document describes it. It replays a
/// <see cref="TranscriptScript"/> as audio arrives (or finds voiced regions by energy without one), records
/// protocol violations (WAV header sent as audio, audio after the end of stream, close without end of stream,
/// wrong frame types) and can inject faults. Raw sockets with a hand-made HTTP/1.1 upgrade, so it needs no
/// web framework and can reject handshakes with any status.
/// </summary>
public sealed class EmulatorServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _cts = new();
    private readonly ConcurrentBag<Task> _connections = new();
    private readonly Task _accept;
    private int _handshakes;

    private EmulatorServer(ProviderEmulator emulator, int port)
    {
        Emulator = emulator;
        _listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            _listener.Start(512);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
        {
            throw new SpeechStream.Engine.AsrException(SpeechStream.Engine.AsrErrorKind.InvalidInput, "EmulatorPortUnavailable",
                $"Port {port} on 127.0.0.1 is not available ({(e.SocketErrorCode == SocketError.AccessDenied ? "access denied" : "already in use")}): pick another with --port, or 0 for any free port.");
        }
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accept = Task.Run(AcceptLoopAsync);
    }

    /// <summary>Starts an emulator for <paramref name="provider"/> on 127.0.0.1.</summary>
    /// <param name="port">TCP port; 0 picks a free one.</param>
    /// <exception cref="SpeechStream.Engine.AsrException">InvalidInput for a provider with no emulator, or a port that is
    /// in use or not allowed (ErrorId EmulatorPortUnavailable).</exception>
    public static EmulatorServer Start(string provider, EmulatorOptions? options = null, int port = 0) =>
        new(EmulatorRegistry.Create(provider, options ?? new EmulatorOptions()), port);

    /// <summary>Starts a server for an emulator of the caller's own (the tests' replay of recorded sessions).</summary>
    internal static EmulatorServer StartWith(ProviderEmulator emulator, int port = 0) => new(emulator, port);

    /// <summary>The provider emulator this server runs, which answers every connection.</summary>
    public ProviderEmulator Emulator { get; }

    /// <summary>Replays the sidecar transcript of <paramref name="audioPath"/> (<see cref="EmulatorHost.SidecarOf"/>) when
    /// this server was started without one and has heard no audio yet.</summary>
    /// <returns>The sidecar now replayed, or null (none beside the file, or too late).</returns>
    public string? TryReplaySidecarOf(string audioPath) =>
        EmulatorHost.SidecarOf(audioPath) is { } sidecar && Emulator.TryUseScript(this, TranscriptScript.Load(sidecar)) ? sidecar : null;

    /// <summary>The TCP port the server listens on at 127.0.0.1 (the one picked when started with port 0).</summary>
    public int Port { get; }

    /// <summary>The WebSocket URL clients use, e.g. <c>ws://127.0.0.1:PORT/ws</c>.</summary>
    public Uri Endpoint => new($"ws://127.0.0.1:{Port}{Emulator.WebSocketPath}");

    /// <summary>Protocol violations seen so far, one line each.</summary>
    public ConcurrentQueue<string> Violations { get; } = new();

    /// <summary>One record per WebSocket connection accepted.</summary>
    internal ConcurrentQueue<EmulatedConnection> Connections { get; } = new();

    /// <summary>HTTP requests seen (method, path, status), in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    internal void Violation(string what) => Violations.Enqueue(what);

    private EmulatedStream? _lastHeard;

    /// <summary>Remembers the latest connection that heard scripted audio, so a reconnecting client's replay can be
    /// recognised by its content.</summary>
    internal void RememberAudio(EmulatedStream stream) => Volatile.Write(ref _lastHeard, stream);

    private byte[]? _streamOpening;

    /// <summary>Remembers the opening audio (the probe) of a connection that starts a stream (offset 0).</summary>
    internal void RememberStreamOpening(byte[] probe) => Volatile.Write(ref _streamOpening, probe);

    /// <summary>True when the shorter of the two openings, at least 0.2 s, is the start of the other.</summary>
    private static bool StartsTheSame(ReadOnlySpan<byte> probe, ReadOnlySpan<byte> opening, int sampleRate)
    {
        int n = Math.Min(probe.Length, opening.Length) & ~1;
        return n >= sampleRate / 5 * 2 && probe[..n].SequenceEqual(opening[..n]);
    }

    /// <summary>Where <paramref name="probe"/> (the start of a new connection's audio) sits in the audio the previous
    /// connection heard, in seconds from the start of the stream; 0 when it is not a replay.
    /// The opening of the stream most recently started is checked first: audio that begins as that stream began is a
    /// new run of the same file (one emulator serving run after run), or a replay from the very start; either way it
    /// starts at 0. Only then is it looked for in the previous connection's audio, where a file that repeats its
    /// opening later (a clip concatenated into a long file) would otherwise be taken for a replay of that later part.</summary>
    internal double FindReplayOffset(ReadOnlySpan<byte> probe, int sampleRate, EmulatedStream self)
    {
        var last = Volatile.Read(ref _lastHeard);
        if (last is null || ReferenceEquals(last, self) || probe.Length < 2) return 0;
        if (Volatile.Read(ref _streamOpening) is { } opening && StartsTheSame(probe, opening, sampleRate)) return 0;
        int at = last.FindInHeard(probe);
        return at < 0 ? 0 : last.StreamOffset + at / 2.0 / sampleRate;
    }

    /// <summary>Counts a handshake; true when the faults say to refuse it.</summary>
    internal bool ShouldReject(EmulatorFaults f)
    {
        int n = Interlocked.Increment(ref _handshakes);
        return n <= f.RejectHandshakes || (f.RejectFromHandshake > 0 && n >= f.RejectFromHandshake);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_cts.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_cts.Token).ConfigureAwait(false); }
            catch (Exception) when (_cts.IsCancellationRequested) { return; }
            catch (SocketException) { continue; }
            _connections.Add(Task.Run(() => ServeAsync(client)));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            client.NoDelay = true;
            var stream = client.GetStream();
            try
            {
                var head = await ReadHeadAsync(stream, _cts.Token).ConfigureAwait(false);
                if (head is null) return;
                await Emulator.HandleAsync(this, head, stream, _cts.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or WebSocketException or ObjectDisposedException) { }
        }
    }

    private static async Task<HttpRequestHead?> ReadHeadAsync(Stream s, CancellationToken ct)
    {
        var buf = new byte[16 * 1024];
        int len = 0;
        while (true)
        {
            if (len == buf.Length) return null;
            int n = await s.ReadAsync(buf.AsMemory(len, 1), ct).ConfigureAwait(false); // byte by byte: never read past the head
            if (n == 0) return null;
            if (len == 0 && buf[0] == 0x16)
            {
                // A TLS ClientHello (wss:// to this plain server): answer as plain HTTP servers do, and close.
                await s.WriteAsync("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"u8.ToArray(), ct).ConfigureAwait(false);
                return null;
            }
            len += n;
            if (len >= 4 && buf[len - 1] == '\n' && buf[len - 2] == '\r' && buf[len - 3] == '\n' && buf[len - 4] == '\r') break;
        }
        var lines = Encoding.ASCII.GetString(buf, 0, len).Split("\r\n");
        var parts = lines[0].Split(' ');
        if (parts.Length < 3) return null;
        string target = parts[1];
        int q = target.IndexOf('?');
        string path = q >= 0 ? target[..q] : target, rawQuery = q >= 0 ? target[(q + 1)..] : "";
        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var kv in rawQuery.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int e = kv.IndexOf('=');
            string k = Uri.UnescapeDataString(e >= 0 ? kv[..e] : kv), v = e >= 0 ? Uri.UnescapeDataString(kv[(e + 1)..].Replace('+', ' ')) : "";
            query.TryAdd(k, v);
        }
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            int c = line.IndexOf(':');
            if (c > 0) headers[line[..c].Trim()] = line[(c + 1)..].Trim();
        }
        return new HttpRequestHead { Method = parts[0], Path = path, Query = query, Headers = headers, RawQuery = rawQuery };
    }

    /// <summary>Writes a plain HTTP response and ends the exchange.</summary>
    public async Task RespondAsync(Stream s, int status, string body, string contentType = "application/json",
        IDictionary<string, string>? headers = null, HttpRequestHead? request = null)
    {
        Requests.Enqueue($"{request?.Method} {request?.Path} -> {status}");
        var sb = new StringBuilder();
        sb.Append("HTTP/1.1 ").Append(status).Append(' ').Append(Reason(status)).Append("\r\n");
        sb.Append("Content-Type: ").Append(contentType).Append("\r\n");
        sb.Append("Content-Length: ").Append(Encoding.UTF8.GetByteCount(body)).Append("\r\n");
        sb.Append("Connection: close\r\n");
        if (headers is not null) foreach (var (k, v) in headers) sb.Append(k).Append(": ").Append(v).Append("\r\n");
        sb.Append("\r\n").Append(body);
        var bytes = Encoding.UTF8.GetBytes(sb.ToString());
        await s.WriteAsync(bytes).ConfigureAwait(false);
        await s.FlushAsync().ConfigureAwait(false);
    }

    /// <summary>Completes the WebSocket upgrade (RFC 6455) and returns the server side of the socket.</summary>
    public async Task<WebSocket> AcceptWebSocketAsync(Stream s, HttpRequestHead request)
    {
        Requests.Enqueue($"{request.Method} {request.Path} -> 101");
        string key = request.Header("Sec-WebSocket-Key") ?? "";
        string accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
        var resp = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                   $"Sec-WebSocket-Accept: {accept}\r\n\r\n";
        await s.WriteAsync(Encoding.ASCII.GetBytes(resp)).ConfigureAwait(false);
        return WebSocket.CreateFromStream(s, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.FromSeconds(30) });
    }

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    };

    /// <summary>Stops listening, cancels every connection and waits for them to end (2 s at most).</summary>
    public async ValueTask DisposeAsync()
    {
        _cts.Cancel();
        _listener.Stop();
        try { await _accept.ConfigureAwait(false); } catch { }
        await Task.WhenAny(Task.WhenAll(_connections), Task.Delay(2000)).ConfigureAwait(false);
        _cts.Dispose();
    }
}
