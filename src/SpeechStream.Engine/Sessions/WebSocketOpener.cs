using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using Polly.Retry;
using SpeechStream.Engine.Providers;

namespace SpeechStream.Engine.Sessions;

/// <summary>Opens a <see cref="ClientWebSocket"/> for a prepared request and maps a refused upgrade to an
/// <see cref="AsrException"/> (HTTP status, Retry-After), a network failure to a transient Connection error,
/// and a timeout to a transient Timeout. Used by every STT session and by the VoxNexus TTS client.</summary>
internal static class WebSocketOpener
{
    /// <summary>One HTTP handler for every WebSocket upgrade in the process: without it each connect builds its own
    /// handler and connection pool, which dominates the cost of opening many sessions at once. It uses the system
    /// proxy, as a plain ClientWebSocket does, and never follows redirects (an upgrade is never redirected).</summary>
    private static readonly HttpMessageInvoker Upgrades = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(30),
    }, disposeHandler: false);

    /// <param name="cancellationToken">The caller's token (cancellation passes through as OperationCanceledException).</param>
    /// <param name="timeoutToken">A token that also fires on the connect timeout (linked to the caller's).</param>
    public static async Task<ProtocolSocket> OpenAsync(ProviderDescriptor provider, ConnectRequest request, SessionOptions options,
        CancellationToken cancellationToken, CancellationToken timeoutToken)
    {
        var ws = new ClientWebSocket();
        ws.Options.CollectHttpResponseDetails = true;
        ws.Options.KeepAliveInterval = options.KeepAliveInterval;
        foreach (var (k, v) in request.Headers) ws.Options.SetRequestHeader(k, v);
        try
        {
            await ws.ConnectAsync(request.Uri, Upgrades, timeoutToken).ConfigureAwait(false);
            return new ProtocolSocket(ws, options.MaxFrameBytes);
        }
        catch (WebSocketException) when (ws.HttpStatusCode != 0 && ws.HttpStatusCode != HttpStatusCode.SwitchingProtocols)
        {
            ws.Dispose();
            throw HttpFailures.FromStatus(provider.Name, (int)ws.HttpStatusCode, RetryAfter(ws.HttpResponseHeaders),
                provider.ApiKeyVariable, request.DisplayUri);
        }
        catch (WebSocketException e)
        {
            ws.Dispose();
            throw HttpFailures.Unreachable(provider.Name, request.DisplayUri, e);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            ws.Dispose();
            throw new AsrException(AsrErrorKind.Timeout, "ConnectTimeout",
                $"{provider.Name} did not answer within {options.ConnectTimeout.TotalSeconds:0} s while connecting to {request.DisplayUri}." +
                (request.DisplayUri.StartsWith("wss:", StringComparison.OrdinalIgnoreCase)
                    ? " If the server speaks plain WebSocket, its TLS handshake never completes: use ws:// instead of wss://." : ""))
            { Provider = provider.Name, IsTransient = true };
        }
        catch
        {
            ws.Dispose();
            throw;
        }
    }

    private static TimeSpan? RetryAfter(IReadOnlyDictionary<string, IEnumerable<string>>? headers)
    {
        if (headers is null) return null;
        foreach (var (k, v) in headers)
            if (k.Equals("Retry-After", StringComparison.OrdinalIgnoreCase))
                return HttpFailures.ParseRetryAfter(v.FirstOrDefault());
        return null;
    }
}
