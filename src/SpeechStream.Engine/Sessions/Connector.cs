using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using SpeechStream.Engine.Diagnostics;
using SpeechStream.Engine.Providers;

namespace SpeechStream.Engine.Sessions;

/// <summary>One open connection of a session.</summary>
internal sealed class Connection
{
    public required int Generation { get; init; }
    public required ProtocolSocket Socket { get; init; }
    public required ConnectContext Context { get; init; }
    /// <summary>Set by the session once it knows how to tell the parser the audio sent.</summary>
    public IMessageParser Parser { get; set; } = null!;
    /// <summary>Stopwatch ticks of the last frame received (for quiet completion).</summary>
    public long LastFrameTicks;
    /// <summary>When to reconnect with a fresh credential (token expiry), if ever.</summary>
    public DateTimeOffset? RenewAt { get; init; }
    /// <summary>Set when the connection was ended to renew its credential.</summary>
    public volatile bool Renewing;
    /// <summary>File time (s) of this connection's first audio sample.</summary>
    public double Offset { get; set; }
    public bool EndSent { get; set; }
    public int FinalsReceived { get; set; }
}

/// <summary>Settings after applying the provider's defaults and the environment variable.</summary>
internal sealed record ResolvedSettings(string Language, int SampleRate, Secret ApiKey, string AuthMode, Uri Endpoint, string DisplayEndpoint)
{
    public static ResolvedSettings Resolve(ProviderProtocol protocol, SessionOptions o)
    {
        var d = protocol.Descriptor;
        var key = o.ApiKey;
        if (key is null)
        {
            var env = Environment.GetEnvironmentVariable(d.ApiKeyVariable);
            if (string.IsNullOrWhiteSpace(env))
                throw new AsrException(AsrErrorKind.InvalidInput, "ApiKeyMissing",
                    $"No API key for {d.Name}: pass -ApiKey (PowerShell) or --api-key (CLI), or set the {d.ApiKeyVariable} environment variable. " +
                    "To try SpeechStream without an account, use -Emulate / --emulate.") { Provider = d.Name };
            key = new Secret(env);
        }
        string auth = (o.AuthMode ?? d.DefaultAuthMode).ToLowerInvariant();
        if (!d.AuthModes.Contains(auth))
            throw new AsrException(AsrErrorKind.InvalidInput, "AuthModeUnknown",
                $"{d.Name} does not support auth mode '{o.AuthMode}'. Expected one of: {string.Join(", ", d.AuthModes)}.") { Provider = d.Name };
        int rate = o.SampleRate ?? d.DefaultSampleRate;
        if (!d.SampleRates.Contains(rate))
            throw new AsrException(AsrErrorKind.InvalidInput, "SampleRateUnsupported",
                $"{d.Name} does not accept a sample rate of {rate} Hz. Expected one of: {string.Join(", ", d.SampleRates)} Hz (audio is resampled to it).") { Provider = d.Name };
        string language = string.IsNullOrWhiteSpace(o.Language) ? d.DefaultLanguage ?? "" : o.Language.Trim();
        Uri endpoint;
        if (o.Endpoint is not null)
        {
            if (o.Endpoint.Scheme is not ("ws" or "wss"))
                throw new AsrException(AsrErrorKind.InvalidInput, "EndpointInvalid",
                    $"Endpoint '{SecretRedactor.Redact(o.Endpoint)}' must be a ws:// or wss:// URL.") { Provider = d.Name };
            endpoint = o.Endpoint;
        }
        else endpoint = d.GetEndpoint(o.Environment).Url;
        RequireEncryption(d.Name, endpoint, o.AllowUnencrypted);
        ProviderOptionValidator.Validate(d, o.ProviderOptions);
        CheckCommonParameters(d, o);
        return new ResolvedSettings(language, rate, key, auth, endpoint, SecretRedactor.Redact(endpoint));
    }

    /// <summary>Refuses ws:// to a host that is not loopback (the key would travel in clear) unless allowed.</summary>
    /// <exception cref="AsrException">InvalidInput "UnencryptedConnectionRefused".</exception>
    public static void RequireEncryption(string provider, Uri endpoint, bool allowUnencrypted)
    {
        if (endpoint.Scheme is "wss" or "https" || allowUnencrypted || endpoint.IsLoopback) return;
        throw new AsrException(AsrErrorKind.InvalidInput, "UnencryptedConnectionRefused",
            $"Endpoint '{SecretRedactor.Redact(endpoint)}' is unencrypted ({endpoint.Scheme}://) and not on this machine: the API key would travel in clear. " +
            "Use wss://, or pass -AllowUnencryptedConnection / --allow-unencrypted if you mean it.") { Provider = provider };
    }

    /// <exception cref="AsrException">InvalidInput: a typed parameter the provider has no counterpart for, or a missing required model.</exception>
    private static void CheckCommonParameters(ProviderDescriptor d, SessionOptions o)
    {
        void Require(CommonParameters p, bool given, string name)
        {
            if (given && !d.Parameters.HasFlag(p))
                throw new AsrException(AsrErrorKind.InvalidInput, "ParameterNotSupported",
                    $"{d.Name} has no counterpart for {name}. It supports: {(d.Parameters == CommonParameters.None ? "none of -Model, -WordTimestamps, -Diarize, -Vocabulary" : d.Parameters.ToString())}.")
                { Provider = d.Name };
        }
        Require(CommonParameters.Model, !string.IsNullOrWhiteSpace(o.Model), "-Model/--model");
        Require(CommonParameters.WordTimestamps, o.WordTimestamps is not null, "-WordTimestamps/--word-timestamps");
        Require(CommonParameters.Diarize, o.Diarize is not null, "-Diarize/--diarize");
        Require(CommonParameters.Vocabulary, o.Vocabulary is { Count: > 0 }, "-Vocabulary/--vocabulary");
        if (d.RequiresModel && string.IsNullOrWhiteSpace(o.Model))
            throw new AsrException(AsrErrorKind.InvalidInput, "ModelRequired",
                $"{d.Name} needs a model: pass -Model (PowerShell) or --model (CLI), e.g. {string.Join(", ", d.Models.Take(3))}.")
            { Provider = d.Name };
    }
}

/// <summary>Validates <c>-ProviderOption</c> keys and values against the descriptor.</summary>
public static class ProviderOptionValidator
{
    /// <exception cref="AsrException">InvalidInput: an unknown key (listing the valid keys) or a value of the wrong type.</exception>
    public static void Validate(ProviderDescriptor d, IReadOnlyDictionary<string, string> options)
    {
        foreach (var (key, value) in options)
        {
            var opt = d.Options.FirstOrDefault(x => x.Name.Equals(key, StringComparison.OrdinalIgnoreCase))
                ?? throw new AsrException(AsrErrorKind.InvalidInput, "ProviderOptionUnknown",
                    $"{d.Name} has no option '{key}'. Valid options: {(d.Options.Count == 0 ? "none" : string.Join(", ", d.Options.Select(x => x.Name)))}.") { Provider = d.Name };
            bool ok = opt.Kind switch
            {
                "bool" => value.Equals("true", StringComparison.OrdinalIgnoreCase) || value.Equals("false", StringComparison.OrdinalIgnoreCase),
                "int" => int.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out _),
                "number" => double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _),
                "enum" => opt.Allowed?.Any(a => a.Equals(value, StringComparison.OrdinalIgnoreCase)) ?? true,
                _ => true,
            };
            if (!ok)
                throw new AsrException(AsrErrorKind.InvalidInput, "ProviderOptionInvalid",
                    $"{d.Name} option '{opt.Name}' got '{value}'; expected {(opt.Kind == "enum" ? "one of: " + string.Join(", ", opt.Allowed!) : "a " + opt.Kind)}.") { Provider = d.Name };
        }
    }

    /// <summary>The value of an option, or its default.</summary>
    public static string? Get(this IReadOnlyDictionary<string, string> options, ProviderDescriptor d, string name)
    {
        foreach (var (k, v) in options)
            if (k.Equals(name, StringComparison.OrdinalIgnoreCase)) return v;
        return d.Options.FirstOrDefault(x => x.Name == name)?.Default;
    }
}

/// <summary>Opens connections: prepares the request (token exchange), upgrades, runs the handshake,
/// and retries transient failures with exponential backoff and jitter (Polly), honouring Retry-After.
/// Never retries an auth failure.</summary>
internal sealed class Connector
{
    private static readonly HttpClient SharedHttp = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
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
        _retry = options.MaxConnectAttempts <= 1 ? ResiliencePipeline.Empty : new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<AsrException>(e => e.IsTransient),
            MaxRetryAttempts = options.MaxConnectAttempts - 1,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.RetryBaseDelay,
            MaxDelay = TimeSpan.FromSeconds(30),
            DelayGenerator = a => new ValueTask<TimeSpan?>(
                a.Outcome.Exception is AsrException { RetryAfter: TimeSpan ra } ? TimeSpan.FromSeconds(Math.Min(ra.TotalSeconds, 60)) : null),
            OnRetry = a =>
            {
                _log.LogWarning("Connecting to {Provider} failed (attempt {Attempt} of {Max}): {Reason} Retrying in {Delay:0.0} s.",
                    _protocol.Name, a.AttemptNumber + 1, options.MaxConnectAttempts, a.Outcome.Exception?.Message, a.RetryDelay.TotalSeconds);
                return default;
            },
        }).Build();
    }

    public Task<Connection> ConnectAsync(int generation, CancellationToken ct) =>
        _retry.ExecuteAsync(async token => await ConnectOnceAsync(generation, token).ConfigureAwait(false), ct).AsTask();

    private async Task<Connection> ConnectOnceAsync(int generation, CancellationToken ct)
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
        return new Connection { Generation = generation, Socket = socket, Context = context, RenewAt = RenewalTime(request) };
    }

    /// <summary>When to reconnect with a fresh credential: 300 s before it expires (protocols.md, from the Voxist
    /// plugin), or a tenth of its lifetime before when that is shorter.</summary>
    internal static DateTimeOffset? RenewalTime(ConnectRequest request)
    {
        if (request.ExpiresAt is not DateTimeOffset exp) return null;
        var lifetime = exp - request.IssuedAt;
        if (lifetime <= TimeSpan.Zero) return null;
        var margin = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(300).Ticks, lifetime.Ticks / 10));
        return exp - margin;
    }

    private AsrException Timeout(string what) =>
        new(AsrErrorKind.Timeout, "ConnectTimeout",
            $"{_protocol.Name} did not answer within {_options.ConnectTimeout.TotalSeconds:0} s while {what}.")
        { Provider = _protocol.Name, IsTransient = true };
}

/// <summary>Opens a <see cref="ClientWebSocket"/> for a prepared request and maps a refused upgrade to an
/// <see cref="AsrException"/> (HTTP status, Retry-After), a network failure to a transient Connection error,
/// and a timeout to a transient Timeout. Used by every STT session and by the VoxNexus TTS client.</summary>
public static class WebSocketOpener
{
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
            await ws.ConnectAsync(request.Uri, timeoutToken).ConfigureAwait(false);
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
                $"{provider.Name} did not answer within {options.ConnectTimeout.TotalSeconds:0} s while connecting to {request.DisplayUri}.")
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

/// <summary>Maps HTTP answers and network failures to <see cref="AsrException"/>s with the likely fix.</summary>
public static class HttpFailures
{
    /// <summary>Maps a refused handshake or token request. 401/403 → Authentication (never retried);
    /// 429 and 5xx → transient; 400/402/404 → not retried.</summary>
    public static AsrException FromStatus(string provider, int status, TimeSpan? retryAfter, string apiKeyVariable, string displayUri)
    {
        string hint = provider.Equals("Voxist", StringComparison.OrdinalIgnoreCase)
            ? " Staging and production keys differ: check -Environment."
            : "";
        return status switch
        {
            401 or 403 => new AsrException(AsrErrorKind.Authentication, "AuthenticationFailed",
                $"{provider} refused the API key (HTTP {status}). Check the key given with -ApiKey/--api-key or in {apiKeyVariable}.{hint}")
            { Provider = provider, HttpStatus = status },
            402 => new AsrException(AsrErrorKind.Provider, "PaymentRequired",
                $"{provider} refused the request (HTTP 402): the account has no credit left.") { Provider = provider, HttpStatus = status },
            400 => new AsrException(AsrErrorKind.InvalidInput, "ProviderRejectedRequest",
                $"{provider} rejected the connection request (HTTP 400) to {displayUri}: check the language, model and options.") { Provider = provider, HttpStatus = status },
            404 => new AsrException(AsrErrorKind.Connection, "EndpointNotFound",
                $"{provider} has no endpoint at {displayUri} (HTTP 404): check -Endpoint/--endpoint.") { Provider = provider, HttpStatus = status },
            429 => new AsrException(AsrErrorKind.Connection, "RateLimited",
                $"{provider} is rate limiting this account (HTTP 429).") { Provider = provider, HttpStatus = status, IsTransient = true, RetryAfter = retryAfter },
            >= 500 => new AsrException(AsrErrorKind.Connection, "ProviderUnavailable",
                $"{provider} is unavailable (HTTP {status}).") { Provider = provider, HttpStatus = status, IsTransient = true, RetryAfter = retryAfter },
            _ => new AsrException(AsrErrorKind.Connection, "HandshakeFailed",
                $"{provider} refused the connection to {displayUri} (HTTP {status}).") { Provider = provider, HttpStatus = status },
        };
    }

    /// <summary>A network failure before any HTTP answer (refused, DNS, reset): transient.</summary>
    public static AsrException Unreachable(string provider, string displayUri, Exception e)
    {
        var inner = e;
        while (inner.InnerException is not null && inner is not SocketException) inner = inner.InnerException;
        string why = inner is SocketException se ? se.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => "connection refused",
            SocketError.HostNotFound or SocketError.NoData => "host not found",
            SocketError.TimedOut => "timed out",
            _ => se.Message,
        } : SecretRedactor.Redact(e.Message);
        return new AsrException(AsrErrorKind.Connection, "ConnectionFailed", $"Cannot reach {provider} at {displayUri}: {why}.", e)
        { Provider = provider, IsTransient = true };
    }

    /// <summary>Parses Retry-After in seconds or as an HTTP date.</summary>
    public static TimeSpan? ParseRetryAfter(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var s) && s >= 0)
            return TimeSpan.FromSeconds(s);
        if (DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at))
            return at > DateTimeOffset.UtcNow ? at - DateTimeOffset.UtcNow : TimeSpan.Zero;
        return null;
    }
}
