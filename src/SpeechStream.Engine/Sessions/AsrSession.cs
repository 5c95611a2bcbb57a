using System.Runtime.CompilerServices;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SpeechStream.Engine.Providers;
using SpeechStream.Engine.Transcripts;

namespace SpeechStream.Engine.Sessions;

/// <summary>
/// One streaming recognition session, stable over reconnects. A thin front over parts with one job each: the
/// outbound <see cref="AudioQueue"/> (audio, end of stream and keepalive in one FIFO), the <see cref="AudioLedger"/>
/// (sent, delivered, replay buffer), the <see cref="ResultAssembler"/> (transcripts exactly once, in order), and the
/// <see cref="SessionSupervisor"/> that runs connections with <see cref="ConnectionRunner"/> and gives the verdict.
/// </summary>
/// <remarks>
/// Contract: every final the provider sends reaches <see cref="Transcripts"/> exactly once, in order; the session
/// ends whole (<see cref="SessionSummary.IsWhole"/>: completion confirmed, every second covered) or says what is
/// missing (open segments written as finals marked Unconfirmed, a warning naming the audio, the summary's
/// <see cref="SessionSummary.Uncovered"/>). Times are seconds from the start of the file.
/// Thread safety: <see cref="SendAudioAsync"/> and <see cref="SendEndOfStreamAsync"/> are for one producer;
/// <see cref="DisposeAsync"/> and <see cref="Abort"/> may be called from any thread, any number of times.
/// </remarks>
public sealed class AsrSession : IAsyncDisposable
{
    /// <summary>Partial results waiting unread beyond this are not queued (finals always are).</summary>
    public const int MaxPendingPartials = 1024;

    private readonly SessionParts _parts;
    private readonly Connector _connector;
    private readonly SessionSupervisor _supervisor;
    private readonly Channel<Transcript> _results = Channel.CreateUnbounded<Transcript>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly CancellationTokenSource _cts = new();
    private readonly TaskCompletionSource<SessionSummary> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _run;
    private int _partialsDiscarded, _disposed;
    private SessionSummary? _summary;

    private AsrSession(ProviderProtocol protocol, SessionOptions options, ResolvedSettings settings, ILoggerFactory lf, HttpClient? http)
    {
        Id = Guid.NewGuid().ToString("n")[..12];
        var clock = Stopwatch.StartNew();
        var log = lf.CreateLogger<AsrSession>();
        var ledger = new AudioLedger(options.ReplayBuffer.TotalSeconds, settings.SampleRate * 2, options.PackReplayAudio);
        var origin = new TranscriptOrigin(protocol.Name, options.Source, options.Channel, Id, settings.Language, options.SpeakerLabel);
        _parts = new SessionParts
        {
            Protocol = protocol, Options = options, Settings = settings, Clock = clock, Log = log, SessionId = Id, Ledger = ledger,
            Queue = new AudioQueue(clock, options.IdleKeepAlive, settings.SampleRate * 2),
            Assembler = new ResultAssembler(origin, protocol.SendsTimes, ledger, Emit, log, options.EmitPartials),
        };
        _connector = new Connector(protocol, options, settings, lf.CreateLogger<Connector>(), http);
        _supervisor = new SessionSupervisor(_parts, _connector, () => Volatile.Read(ref _partialsDiscarded));
    }

    /// <summary>Our id for this session (stable over reconnects).</summary>
    public string Id { get; }

    /// <summary>The provider's name, as the registry spells it.</summary>
    public string Provider => _parts.Provider;

    /// <summary>Sample rate in Hz of the PCM s16le mono audio this session expects.</summary>
    public int SampleRate => _parts.Settings.SampleRate;

    /// <summary>The language code the session asked for (the option, or the provider's default).</summary>
    public string Language => _parts.Settings.Language;

    /// <summary>The endpoint with every secret masked.</summary>
    public string Endpoint => _parts.Settings.DisplayEndpoint;

    /// <summary>The caller's name for the audio (a file name, a device), or null.</summary>
    public string? Source => _parts.Options.Source;

    /// <summary>The session's state now (its supervisor writes it).</summary>
    public SessionState State => _supervisor.State;

    /// <summary>When the session was made (UTC), before its first connection.</summary>
    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    /// <summary>Seconds of audio sent so far.</summary>
    public double AudioSentSeconds => _parts.Ledger.SentSeconds;

    /// <summary>Every result (partial and final) in arrival order. Completes when the session ends, whatever the
    /// outcome; see <see cref="Completion"/> for the outcome.</summary>
    public ChannelReader<Transcript> Transcripts => _results.Reader;

    /// <summary>Completes with the summary when the session is over (whole or not: see <see cref="SessionSummary.IsWhole"/>),
    /// faults with an <see cref="AsrException"/> (carrying its summary) when the provider refused, or is cancelled.</summary>
    public Task<SessionSummary> Completion => _completion.Task;

    /// <summary>The summary: final once the session is over, a snapshot before.</summary>
    public SessionSummary Summary => _summary ?? _supervisor.Summarize(SessionEnding.Running, null);

    /// <summary>Connects to the provider (retrying transient failures) and starts the session.</summary>
    /// <exception cref="AsrException">InvalidInput (options), Authentication (key refused), Connection or
    /// Provider (after the retries), Timeout.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static async Task<AsrSession> ConnectAsync(SessionOptions options, ILoggerFactory? loggerFactory = null,
        HttpClient? http = null, CancellationToken cancellationToken = default)
    {
        var protocol = ProviderRegistry.Get(options.Provider);
        var settings = ResolvedSettings.Resolve(protocol, options);
        var session = new AsrSession(protocol, options, settings, loggerFactory ?? NullLoggerFactory.Instance, http);
        var log = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<AsrSession>();
        foreach (var note in options.NotesShown ? Array.Empty<string>() : settings.Notes) log.LogInformation("{Provider}: {Note}", protocol.Name, note);
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, session._cts.Token);
            await session._supervisor.ConnectFirstAsync(linked.Token).ConfigureAwait(false);
        }
        catch
        {
            session._parts.Queue.Dispose();
            session._cts.Dispose();
            throw;
        }
        session._run = Task.Run(session.RunAsync);
        return session;
    }

    /// <summary>Queues PCM s16le mono audio at <see cref="SampleRate"/>. Waits when the queue is full (back-pressure),
    /// so a fast producer cannot run ahead of the socket.</summary>
    /// <exception cref="InvalidOperationException">After the end of stream, or when the session is over.</exception>
    /// <exception cref="AsrException">The session failed; the exception is the session's error.</exception>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask SendAudioAsync(ReadOnlyMemory<byte> pcm, CancellationToken cancellationToken = default)
    {
        if (pcm.Length == 0) return;
        ThrowIfEnded();
        try { await _parts.Queue.EnqueueAudioAsync(pcm, cancellationToken).ConfigureAwait(false); }
        catch (ChannelClosedException)
        {
            ThrowIfEnded();
            throw new InvalidOperationException("The session is closed.");
        }
    }

    /// <summary>Queues the end of stream behind the audio already queued. Idempotent.</summary>
    public ValueTask SendEndOfStreamAsync(CancellationToken cancellationToken = default) => _parts.Queue.EnqueueEndAsync(cancellationToken);

    /// <summary>Sends the end of stream (if not yet sent), waits for the session to end (bounded by the drain timeout)
    /// and returns the summary.</summary>
    public async Task<SessionSummary> CompleteAsync(CancellationToken cancellationToken = default)
    {
        await SendEndOfStreamAsync(cancellationToken).ConfigureAwait(false);
        return await _completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private void ThrowIfEnded()
    {
        if (_completion.Task.IsFaulted) throw _completion.Task.Exception!.InnerException!;
        if (_completion.Task.IsCompleted) throw new InvalidOperationException("The session has ended.");
    }

    private void Emit(Transcript t)
    {
        if (!t.IsFinal && _results.Reader.Count >= MaxPendingPartials)
        {
            Interlocked.Increment(ref _partialsDiscarded);
            return;
        }
        _results.Writer.TryWrite(t);
    }

    private async Task RunAsync()
    {
        var ct = _cts.Token;
        try
        {
            _summary = await _supervisor.RunAsync(ct).ConfigureAwait(false);
            _completion.TrySetResult(_summary);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            _summary = _supervisor.Summarize(SessionEnding.Cancelled, "cancelled");
            _completion.TrySetCanceled(ct);
        }
        catch (AsrException e)
        {
            _summary = e.Summary;
            _parts.Log.LogError("{Provider} session {Id} failed: {Message}", Provider, Id, e.Message);
            _completion.TrySetException(e);
        }
        catch (Exception e)
        {
            var err = new AsrException(AsrErrorKind.Connection, "SessionFailed", $"The {Provider} session failed: {e.Message}", e) { Provider = Provider };
            _parts.Log.LogError("{Provider} session {Id} failed: {Message}", Provider, Id, err.Message);
            _completion.TrySetException(err);
        }
        finally
        {
            _parts.Queue.Close();
            _parts.Ledger.Clear(); // no connection is left to replay to: the blocks serve other sessions
            _results.Writer.TryComplete();
        }
    }

    /// <summary>Stops at once: cancels sending and receiving and closes the socket. Idempotent, any thread.</summary>
    public void Abort()
    {
        try { _cts.Cancel(); } catch (ObjectDisposedException) { }
    }

    /// <summary>Aborts the session if it is still running (saying goodbye with 1001, going away) and waits at most
    /// 1 s for its tasks to end. Idempotent and safe from any thread.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        if (!_completion.Task.IsCompleted)
        {
            _parts.Log.LogDebug("Closing {Provider} session {Id}.", Provider, Id);
            await SayGoodbyeAsync().ConfigureAwait(false);
        }
        Abort();
        if (_run is not null) await Task.WhenAny(_run, Task.Delay(1000)).ConfigureAwait(false);
        _completion.TrySetCanceled();
        _results.Writer.TryComplete();
        _parts.Queue.Dispose();
        _supervisor.Close();
    }

    /// <summary>Sends 1001 on the open connection, bounded so a dead network cannot delay Ctrl+C.</summary>
    private async Task SayGoodbyeAsync()
    {
        foreach (var ws in OpenSockets())
        {
            try
            {
                using var t = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
                await ws.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, "cancelled", t.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException) { }
        }
    }

    private IEnumerable<WebSocket> OpenSockets() =>
        _connector.Current is { Socket.WebSocket: { State: WebSocketState.Open } ws } ? new[] { ws } : Array.Empty<WebSocket>();
}
