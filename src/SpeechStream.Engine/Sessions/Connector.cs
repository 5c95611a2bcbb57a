using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using SpeechStream.Engine.Diagnostics;
using SpeechStream.Engine.Providers;

namespace SpeechStream.Engine.Sessions;

/// <summary>Opens connections: prepares the request (token exchange), upgrades, runs the handshake,
/// and retries transient failures with exponential backoff and jitter (Polly), honouring Retry-After.
/// Never retries an auth failure.</summary>
internal sealed class Connector
{
    /// <summary>For token exchanges. Redirects are never followed automatically: the adapter decides (a key never
    /// follows a redirect to another origin).</summary>
    private static readonly HttpClient SharedHttp = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AllowAutoRedirect = false })
    { Timeout = TimeSpan.FromSeconds(30) };

    private readonly ProviderProtocol _protocol;
    private readonly SessionOptions _options;
    private readonly ResolvedSettings _settings;
    private readonly ILogger _log;
    private readonly HttpClient _http;
    private readonly ResiliencePipeline _retry;

    public Connector(ProviderProtocol protocol, SessionOptions options, ResolvedSettings settings, ILogger log, HttpClient? http)
    {
        _protocol = protocol;
        _options = options;
        _settings = settings;
        _log = log;
        _http = http ?? SharedHttp;
        _retry = RetryPipeline(options.MaxConnectAttempts, options.RetryBaseDelay);
    }

    /// <summary>Which connector a retry is for: the shared pipeline's hook logs through it.</summary>
    private static readonly ResiliencePropertyKey<Connector> Owner = new("SpeechStream.Connector");

    /// <summary>One retry pipeline per retry setting, shared by every session with it (a pipeline per session cost
    /// ~830 bytes of strategy objects for the session's life). A process sees a handful of settings; past
    /// <see cref="MaxSharedPipelines"/> a pipeline is built for the session alone.</summary>
    private static readonly ConcurrentDictionary<(int Attempts, TimeSpan Delay), ResiliencePipeline> Pipelines = new();
    private const int MaxSharedPipelines = 64;

    private static ResiliencePipeline RetryPipeline(int attempts, TimeSpan delay)
    {
        if (attempts <= 1) return ResiliencePipeline.Empty;
        if (Pipelines.TryGetValue((attempts, delay), out var shared)) return shared;
        var built = new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<AsrException>(e => e.IsTransient),
            MaxRetryAttempts = attempts - 1,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = delay,
            MaxDelay = TimeSpan.FromSeconds(30),
            DelayGenerator = a => new ValueTask<TimeSpan?>(
                a.Outcome.Exception is AsrException { RetryAfter: TimeSpan ra } ? TimeSpan.FromSeconds(Math.Min(ra.TotalSeconds, 60)) : null),
            OnRetry = a =>
            {
                if (a.Context.Properties.TryGetValue(Owner, out var c))
                    c._log.LogWarning("Connecting to {Provider} failed (attempt {Attempt} of {Max}): {Reason} Retrying in {Delay:0.0} s.",
                        c._protocol.Name, a.AttemptNumber + 1, attempts, a.Outcome.Exception?.Message, a.RetryDelay.TotalSeconds);
                return default;
            },
        }).Build();
        return Pipelines.Count < MaxSharedPipelines ? Pipelines.GetOrAdd((attempts, delay), built) : built;
    }

    /// <summary>The connection opened last (for a goodbye on dispose).</summary>
    public Connection? Current { get; private set; }

    public async Task<Connection> ConnectAsync(int generation, CancellationToken ct)
    {
        var context = ResilienceContextPool.Shared.Get(ct);
        context.Properties.Set(Owner, this);
        try
        {
            return Current = await _retry.ExecuteAsync(static async (ctx, state) =>
                await state.Self.ConnectOnceAsync(state.Generation, ctx.CancellationToken).ConfigureAwait(false),
                context, (Self: this, Generation: generation)).ConfigureAwait(false);
        }
        finally { ResilienceContextPool.Shared.Return(context); }
    }

    private async Task<Connection> ConnectOnceAsync(int generation, CancellationToken ct)
    {
        await Handshakes.WaitAsync(ct).ConfigureAwait(false);
        try { return await HandshakeOnceAsync(generation, ct).ConfigureAwait(false); }
        finally { Handshakes.Release(); }
    }

    private async Task<Connection> HandshakeOnceAsync(int generation, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.ConnectTimeout);
        var context = new ConnectContext
        {
            Options = _options,
            ApiKey = _settings.ApiKey,
            AuthMode = _settings.AuthMode,
            Endpoint = _settings.Endpoint,
            Http = _http,
            Logger = _log,
            Language = _settings.Language,
            SampleRate = _settings.SampleRate,
        };
        ConnectRequest request;
        try
        {
            request = await _protocol.PrepareConnectAsync(context, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw Timeout("preparing the connection");
        }
        catch (HttpRequestException e)
        {
            throw HttpFailures.Unreachable(_protocol.Name, SecretRedactor.Redact(_settings.Endpoint), e);
        }
        _log.LogInformation("Connecting to {Provider} at {Uri}", _protocol.Name, request.DisplayUri);
        var socket = await WebSocketOpener.OpenAsync(_protocol.Descriptor, request, _options, ct, timeout.Token).ConfigureAwait(false);
        try
        {
            await _protocol.HandshakeAsync(socket, context, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            socket.WebSocket.Abort();
            socket.WebSocket.Dispose();
            if (e is OperationCanceledException && !ct.IsCancellationRequested) throw Timeout("waiting for the handshake");
            if (e is WebSocketException we) throw HttpFailures.Unreachable(_protocol.Name, request.DisplayUri, we);
            throw;
        }
        _log.LogInformation("Connected to {Provider} (connection {Generation}).", _protocol.Name, generation + 1);
        return new Connection { Generation = generation, Socket = socket, Context = context, RenewAt = _protocol.RenewAt(request) };
    }

    /// <summary>When to reconnect with a fresh credential: 300 s before it expires (the Voxist
    /// plugin), or a tenth of its lifetime before when that is shorter.</summary>
    internal static DateTimeOffset? RenewalTime(ConnectRequest request)
    {
        if (request.ExpiresAt is not DateTimeOffset exp) return null;
        var lifetime = exp - request.IssuedAt;
        if (lifetime <= TimeSpan.Zero) return null;
        var margin = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(300).Ticks, lifetime.Ticks / 10));
        return exp - margin;
    }

    /// <summary>Handshakes in flight in the process at once. Opening a thousand sessions together otherwise floods the
    /// thread pool with connect work, and every running session's paced audio waits behind it (measured: 400 ms).</summary>
    private static readonly SemaphoreSlim Handshakes = new(Math.Max(8, Environment.ProcessorCount * 4));

    private AsrException Timeout(string what) =>
        new(AsrErrorKind.Timeout, "ConnectTimeout",
            $"{_protocol.Name} did not answer within {_options.ConnectTimeout.TotalSeconds:0} s while {what}.")
        { Provider = _protocol.Name, IsTransient = true };
}
