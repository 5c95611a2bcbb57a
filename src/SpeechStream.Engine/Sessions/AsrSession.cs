using System.Diagnostics;
using System.Net.WebSockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SpeechStream.Engine.Providers;
using SpeechStream.Engine.Transcripts;

namespace SpeechStream.Engine.Sessions;

/// <summary>State of a session, as <c>Get-AsrSession</c> shows it.</summary>
public enum SessionState { Connecting, Streaming, Draining, Reconnecting, Completed, Failed, Closed }

/// <summary>
/// One streaming recognition session: one <see cref="ClientWebSocket"/> at a time with a single writer,
/// a FIFO queue that carries audio and the end of stream (so the end can never overtake audio), a receive
/// loop that turns frames into <see cref="Transcript"/>s, a bounded drain after the end of stream, and a
/// reconnect that replays audio not yet covered by a final when the provider asks for it (close 1013) or
/// the connection drops.
/// </summary>
/// <remarks>
/// Results are upserts keyed by segment (protocols.md, "all"): <see cref="Finals"/> holds the latest final
/// per segment; <see cref="Transcripts"/> yields every result as it arrives, dropping a final that repeats
/// its segment's text word for word. Times are seconds from the start of the file.
/// Thread safety: <see cref="SendAudioAsync"/> and <see cref="SendEndOfStreamAsync"/> are for one producer;
/// <see cref="DisposeAsync"/> and <see cref="Abort"/> may be called from any thread, any number of times.
/// </remarks>
public sealed class AsrSession : IAsyncDisposable
{
    private abstract record OutItem;
    private sealed record AudioItem(byte[] Data, double Start, double End) : OutItem;
    private sealed record EndItem : OutItem;

    private readonly ProviderProtocol _protocol;
    private readonly SessionOptions _options;
    private readonly ResolvedSettings _settings;
    private readonly ILogger _log;
    private readonly Connector _connector;
    private readonly Channel<OutItem> _outbound = Channel.CreateBounded<OutItem>(
        new BoundedChannelOptions(32) { SingleReader = true, SingleWriter = false, FullMode = BoundedChannelFullMode.Wait });
    private readonly Channel<Transcript> _results = Channel.CreateUnbounded<Transcript>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly CancellationTokenSource _cts = new();
    private readonly TaskCompletionSource<SessionSummary> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SortedDictionary<int, Transcript> _finals = new();
    private readonly Dictionary<(int, string), int> _segments = new();
    private readonly LinkedList<AudioItem> _replay = new();
    private readonly Queue<(double End, long SentTicks)> _timeline = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly object _gate = new();
    private readonly List<TimeRange> _lost = new();
    private readonly Dictionary<int, Transcript> _openPartials = new(); // segments with partials and no final yet
    private readonly SemaphoreSlim _produce = new(1, 1);
    private long _lastQueuedTicks;
    private int _keepAlives;
    private Task? _keepAlive;
    private volatile Connection? _current;

    private Task? _run;
    private double _queuedSeconds;     // producer side: audio enqueued
    private double _sentSeconds;       // writer side: audio on the wire (first time)
    private double _covered;           // audio up to here is covered by finals
    private double _replayDropped;     // audio before this point fell out of the replay buffer
    private double _replayedSeconds;
    private bool _endQueued, _endRequested;
    private int _partials, _finalsCount, _reconnects, _disposed;
    private bool _drainTimedOut, _completed;
    private IReadOnlyList<TimeRange> _uncovered = Array.Empty<TimeRange>();
    private volatile SessionState _state = SessionState.Connecting;

    private AsrSession(ProviderProtocol protocol, SessionOptions options, ResolvedSettings settings, ILoggerFactory lf, HttpClient? http)
    {
        _protocol = protocol;
        _options = options;
        _settings = settings;
        _log = lf.CreateLogger<AsrSession>();
        _connector = new Connector(protocol, options, settings, lf.CreateLogger<Connector>(), http);
        Id = Guid.NewGuid().ToString("n")[..12];
    }

    /// <summary>Our id for this session (stable over reconnects).</summary>
    public string Id { get; }

    public string Provider => _protocol.Name;

    /// <summary>Sample rate in Hz of the PCM s16le mono audio this session expects.</summary>
    public int SampleRate => _settings.SampleRate;

    public string Language => _settings.Language;

    /// <summary>The endpoint with every secret masked.</summary>
    public string Endpoint => _settings.DisplayEndpoint;

    public string? Source => _options.Source;

    public SessionState State => _state;

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    /// <summary>Seconds of audio sent so far.</summary>
    public double AudioSentSeconds { get { lock (_gate) return _sentSeconds; } }

    /// <summary>Every result (partial and final) in arrival order. Completes when the session ends,
    /// whatever the outcome; see <see cref="Completion"/> for the outcome.</summary>
    public ChannelReader<Transcript> Transcripts => _results.Reader;

    /// <summary>The latest final per segment, in segment order.</summary>
    public IReadOnlyList<Transcript> Finals { get { lock (_gate) return _finals.Values.ToList(); } }

    /// <summary>Completes with the summary when the provider has sent everything, or faults with an
    /// <see cref="AsrException"/>, or is cancelled by <see cref="DisposeAsync"/>.</summary>
    public Task<SessionSummary> Completion => _completion.Task;

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
        Connection first;
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, session._cts.Token);
            first = await session._connector.ConnectAsync(0, linked.Token).ConfigureAwait(false);
        }
        catch
        {
            session._cts.Dispose();
            throw;
        }
        session._state = SessionState.Streaming;
        session._run = Task.Run(() => session.RunAsync(first));
        session._keepAlive = Task.Run(session.KeepAliveLoopAsync);
        return session;
    }

    /// <summary>Queues PCM s16le mono audio at <see cref="SampleRate"/>. Waits when the queue is full
    /// (back-pressure), so a fast producer cannot run ahead of the socket.</summary>
    /// <exception cref="InvalidOperationException">After the end of stream.</exception>
    /// <exception cref="AsrException">The session failed; the exception is the session's error.</exception>
    public async ValueTask SendAudioAsync(ReadOnlyMemory<byte> pcm, CancellationToken cancellationToken = default)
    {
        if (pcm.Length == 0) return;
        if (_endQueued) throw new InvalidOperationException("Audio cannot be sent after the end of stream.");
        ThrowIfEnded();
        await _produce.WaitAsync(cancellationToken).ConfigureAwait(false); // one producer at a time: the keepalive is the other
        try
        {
            double start = _queuedSeconds;
            _queuedSeconds += pcm.Length / 2.0 / SampleRate;
            var item = new AudioItem(pcm.ToArray(), start, _queuedSeconds);
            await _outbound.Writer.WriteAsync(item, cancellationToken).ConfigureAwait(false);
            Interlocked.Exchange(ref _lastQueuedTicks, _clock.ElapsedTicks);
        }
        catch (ChannelClosedException)
        {
            ThrowIfEnded();
            throw new InvalidOperationException("The session is closed.");
        }
        finally
        {
            _produce.Release();
        }
    }

    /// <summary>Sends 100 ms of silence whenever the caller has sent no audio for <see cref="SessionOptions.IdleKeepAlive"/>,
    /// through the same queue as the audio (so it can never reorder it), until the end of stream.</summary>
    private async Task KeepAliveLoopAsync()
    {
        if (_options.IdleKeepAlive is not TimeSpan idle || idle <= TimeSpan.Zero) return;
        var tick = TimeSpan.FromMilliseconds(Math.Clamp(idle.TotalMilliseconds / 4, 20, 1000));
        long idleTicks = (long)(idle.TotalSeconds * Stopwatch.Frequency);
        try
        {
            while (!_endQueued && !_completion.Task.IsCompleted)
            {
                await Task.Delay(tick, _cts.Token).ConfigureAwait(false);
                if (_endQueued || _clock.ElapsedTicks - Interlocked.Read(ref _lastQueuedTicks) < idleTicks || !_produce.Wait(0)) continue;
                try
                {
                    if (_endQueued) break;
                    var silence = new AudioItem(new byte[SampleRate / 10 * 2], _queuedSeconds, _queuedSeconds + 0.1);
                    if (_outbound.Writer.TryWrite(silence))
                    {
                        _queuedSeconds = silence.End;
                        _keepAlives++;
                        Interlocked.Exchange(ref _lastQueuedTicks, _clock.ElapsedTicks);
                        _log.LogDebug("No audio for {Idle:0.0} s: sent 100 ms of silence to keep the {Provider} connection alive.", idle.TotalSeconds, Provider);
                    }
                }
                finally
                {
                    _produce.Release();
                }
            }
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>Queues the end of stream behind the audio already queued. Idempotent.</summary>
    public async ValueTask SendEndOfStreamAsync(CancellationToken cancellationToken = default)
    {
        if (_endQueued) return;
        _endQueued = true;
        try
        {
            await _outbound.Writer.WriteAsync(new EndItem(), cancellationToken).ConfigureAwait(false);
            _outbound.Writer.TryComplete();
        }
        catch (ChannelClosedException) { }
    }

    /// <summary>Sends the end of stream (if not yet sent), waits for the provider to finish (bounded by the
    /// drain timeout) and returns the summary.</summary>
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

    private async Task RunAsync(Connection conn)
    {
        var ct = _cts.Token;
        int consecutiveDrops = 0;
        try
        {
            while (true)
            {
                var outcome = await RunConnectionAsync(conn, ct).ConfigureAwait(false);
                if (outcome is null) break; // completed
                if (!outcome.IsTransient)
                    throw outcome;
                bool progressed = conn.FinalsReceived > 0 || conn.Renewing; // a planned renewal is no failure
                consecutiveDrops = progressed ? 1 : consecutiveDrops + 1;
                if (consecutiveDrops >= _options.MaxConnectAttempts)
                    throw outcome;
                _state = SessionState.Reconnecting;
                _reconnects++;
                if (outcome.RetryAfter is TimeSpan wait)
                {
                    _log.LogWarning("{Provider} asked to retry in {Delay:0.0} s ({Reason}).", Provider, wait.TotalSeconds, outcome.Message);
                    await Task.Delay(wait, ct).ConfigureAwait(false);
                }
                else if (!conn.Renewing)
                {
                    // Exponential backoff with jitter over consecutive drops (1, 2, 4 × the base delay).
                    var backoff = TimeSpan.FromMilliseconds(_options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, consecutiveDrops - 1) * (0.5 + Random.Shared.NextDouble()));
                    _log.LogWarning("Connection to {Provider} lost ({Reason}); reconnecting in {Delay:0.00} s.", Provider, outcome.Message, backoff.TotalSeconds);
                    await Task.Delay(backoff, ct).ConfigureAwait(false);
                }
                conn = await _connector.ConnectAsync(conn.Generation + 1, ct).ConfigureAwait(false);
                _state = _endRequested ? SessionState.Draining : SessionState.Streaming;
            }
            _state = SessionState.Completed;
            _completion.TrySetResult(Summarize());
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            _state = SessionState.Closed;
            _completion.TrySetCanceled(ct);
        }
        catch (Exception e)
        {
            _state = SessionState.Failed;
            var err = e as AsrException ?? new AsrException(AsrErrorKind.Connection, "SessionFailed",
                $"The {Provider} session failed: {Diagnostics.SecretRedactor.Redact(e.Message)}", e) { Provider = Provider };
            _log.LogError("{Provider} session {Id} failed: {Message}", Provider, Id, err.Message);
            _completion.TrySetException(err);
        }
        finally
        {
            _outbound.Writer.TryComplete();
            _results.Writer.TryComplete();
        }
    }

    /// <summary>Runs one connection. Returns null on completion, or the error that ended it.</summary>
    private async Task<AsrException?> RunConnectionAsync(Connection conn, CancellationToken sessionToken)
    {
        _current = conn;
        using var connCts = CancellationTokenSource.CreateLinkedTokenSource(sessionToken);
        conn.Parser = _protocol.CreateParser(new ParserContext
        {
            Options = _options,
            Language = _settings.Language,
            AudioSentSeconds = () => { lock (_gate) return Math.Max(0, _sentSeconds - conn.Offset); },
        });
        var receive = Task.Run(() => ReceiveLoopAsync(conn, connCts.Token));
        // A credential that expires (Voxist's 1-hour token): end this connection before then; the session
        // reconnects with a fresh token and replays the audio not yet covered by a final.
        using var renewal = conn.RenewAt is DateTimeOffset renewAt
            ? new Timer(_ =>
            {
                if (conn.EndSent) return; // draining: let it finish
                conn.Renewing = true;
                _log.LogInformation("Renewing the {Provider} credential before it expires.", Provider);
                try { connCts.Cancel(); } catch (ObjectDisposedException) { }
            }, null, Clamp(renewAt - DateTimeOffset.UtcNow), Timeout.InfiniteTimeSpan)
            : null;
        // When the connection ends (error or completion), stop a writer waiting for the producer.
        _ = receive.ContinueWith(_ => { try { connCts.Cancel(); } catch (ObjectDisposedException) { } },
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        AsrException? writerError = null;
        try
        {
            await WriteLoopAsync(conn, receive, connCts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!sessionToken.IsCancellationRequested) { }
        catch (WebSocketException e)
        {
            writerError = new AsrException(AsrErrorKind.Connection, "ConnectionLost",
                $"The connection to {Provider} was lost while sending: {e.Message}", e) { Provider = Provider, IsTransient = true };
        }

        AsrException? result;
        if (conn.EndSent && !receive.IsCompleted)
        {
            _state = SessionState.Draining;
            var drain = _protocol.Completion == CompletionMode.Quiet
                ? await WaitQuietAsync(conn, receive, sessionToken).ConfigureAwait(false)
                : await Task.WhenAny(receive, Task.Delay(_options.DrainTimeout, sessionToken)).ConfigureAwait(false) == receive
                    ? DrainOutcome.ReceiveEnded : DrainOutcome.TimedOut;
            sessionToken.ThrowIfCancellationRequested();
            if (drain != DrainOutcome.ReceiveEnded)
            {
                if (drain == DrainOutcome.Quiet)
                {
                    // No completion signal exists (Speechall): close with 1000 and keep reading what the server still
                    // sends until its close arrives (bounded), so results flushed on our close are not lost.
                    _completed = true;
                    _log.LogDebug("{Provider} was quiet for {Window:0.0} s after the end of stream: closing.", Provider, _protocol.QuietWindow(_options).TotalSeconds);
                    await CloseOutputAsync(conn, WebSocketCloseStatus.NormalClosure).ConfigureAwait(false);
                    await Task.WhenAny(receive, Task.Delay(CloseGrace, sessionToken)).ConfigureAwait(false);
                    sessionToken.ThrowIfCancellationRequested();
                }
                else OnDrainTimeout();
                connCts.Cancel();
                await CloseQuietlyAsync(conn, WebSocketCloseStatus.NormalClosure).ConfigureAwait(false);
                return null;
            }
        }
        else if (!receive.IsCompleted)
        {
            // The writer stopped without sending the end (it failed): give the reader a moment to read the
            // server's close frame, whose code says why, then stop it.
            await Task.WhenAny(receive, Task.Delay(TimeSpan.FromSeconds(2), sessionToken)).ConfigureAwait(false);
            sessionToken.ThrowIfCancellationRequested();
            connCts.Cancel();
        }
        try
        {
            result = await receive.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!sessionToken.IsCancellationRequested)
        {
            result = writerError;
        }
        sessionToken.ThrowIfCancellationRequested();
        // A send that failed after the end of stream began does not matter when the provider completed.
        if (!(conn.EndSent && receive.IsCompletedSuccessfully && receive.Result is null)) result ??= writerError;
        if (conn.Renewing && result is null)
            result = new AsrException(AsrErrorKind.Connection, "CredentialRenewal", $"Renewing the {Provider} credential.")
            { Provider = Provider, IsTransient = true };
        if (result is null)
        {
            _completed = true;
            await CloseQuietlyAsync(conn, WebSocketCloseStatus.NormalClosure).ConfigureAwait(false);
        }
        else
        {
            conn.Socket.WebSocket.Abort();
            conn.Socket.WebSocket.Dispose();
        }
        return result;
    }

    private static TimeSpan Clamp(TimeSpan t) => t < TimeSpan.Zero ? TimeSpan.Zero : t > TimeSpan.FromDays(1) ? TimeSpan.FromDays(1) : t;

    private enum DrainOutcome { ReceiveEnded, Quiet, TimedOut }

    /// <summary>For providers with no completion signal (Speechall, 004_…; protocols.md): waits until the server
    /// has sent nothing for the quiet window after the end of stream, bounded by the drain timeout.</summary>
    private async Task<DrainOutcome> WaitQuietAsync(Connection conn, Task receive, CancellationToken ct)
    {
        var window = _protocol.QuietWindow(_options);
        long endSent = _clock.ElapsedTicks;
        long deadline = endSent + (long)(_options.DrainTimeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            long now = _clock.ElapsedTicks;
            long last = Math.Max(Interlocked.Read(ref conn.LastFrameTicks), endSent);
            var quiet = TimeSpan.FromSeconds((now - last) / (double)Stopwatch.Frequency);
            if (quiet >= window) return DrainOutcome.Quiet;
            if (now >= deadline) return DrainOutcome.TimedOut;
            var wait = TimeSpan.FromSeconds(Math.Min((window - quiet).TotalSeconds, (deadline - now) / (double)Stopwatch.Frequency));
            if (await Task.WhenAny(receive, Task.Delay(wait, ct)).ConfigureAwait(false) == receive) return DrainOutcome.ReceiveEnded;
            ct.ThrowIfCancellationRequested();
        }
    }

    private async Task WriteLoopAsync(Connection conn, Task receive, CancellationToken ct)
    {
        var socket = conn.Socket;
        // Replay what the previous connection sent but no final covered yet.
        List<AudioItem> replay;
        lock (_gate)
        {
            replay = _replay.ToList();
            conn.Offset = replay.Count > 0 ? replay[0].Start : _sentSeconds;
            if (conn.Generation > 0 && _replayDropped > _covered + 1e-6)
                _lost.Add(new TimeRange(_covered, Math.Min(_replayDropped, conn.Offset)));
        }
        if (conn.Generation > 0)
            _log.LogInformation("Replaying {Seconds:0.00} s of audio from {Offset:0.00} s after reconnecting.",
                replay.Sum(r => r.End - r.Start), conn.Offset);
        foreach (var item in replay)
        {
            await socket.SendAsync(_protocol.EncodeAudio(item.Data), ct).ConfigureAwait(false);
            _replayedSeconds += item.End - item.Start;
        }
        if (_endRequested)
        {
            await SendEndAsync(conn, ct).ConfigureAwait(false);
            return;
        }
        var reader = _outbound.Reader;
        while (await reader.WaitToReadAsync(ct).ConfigureAwait(false))
        {
            while (reader.TryRead(out var item))
            {
                if (item is AudioItem audio)
                {
                    lock (_gate)
                    {
                        _replay.AddLast(audio);
                        TrimReplay();
                    }
                    if (receive.IsCompleted) return; // the connection ended: the item waits in the replay buffer
                    await socket.SendAsync(_protocol.EncodeAudio(audio.Data), ct).ConfigureAwait(false);
                    lock (_gate)
                    {
                        _sentSeconds = audio.End;
                        _timeline.Enqueue((audio.End, _clock.ElapsedTicks));
                    }
                }
                else
                {
                    _endRequested = true;
                    if (receive.IsCompleted) return;
                    await SendEndAsync(conn, ct).ConfigureAwait(false);
                    return;
                }
            }
        }
    }

    private async Task SendEndAsync(Connection conn, CancellationToken ct)
    {
        // Marked before sending: a server may complete and close on the first end frame (Voxist's {"eof":1})
        // while the next one (Done) is still going out; that close is a completion, not a close before the end.
        conn.EndSent = true;
        foreach (var frame in _protocol.EndOfStream(conn.Context))
            await conn.Socket.SendAsync(frame, ct).ConfigureAwait(false);
        _log.LogDebug("End of stream sent to {Provider} after {Seconds:0.00} s of audio.", Provider, _sentSeconds);
    }

    private void TrimReplay()
    {
        // Drop audio covered by finals, then cap the buffer.
        while (_replay.First is { } f && f.Value.End <= _covered + 1e-9) _replay.RemoveFirst();
        double limit = _options.ReplayBuffer.TotalSeconds;
        while (_replay.First is { } g && _replay.Last!.Value.End - g.Value.Start > limit)
        {
            _replayDropped = g.Value.End;
            _replay.RemoveFirst();
        }
    }

    /// <summary>Reads frames until completion or close. Returns null on completion, else the error.</summary>
    private async Task<AsrException?> ReceiveLoopAsync(Connection conn, CancellationToken ct)
    {
        var socket = conn.Socket;
        while (true)
        {
            ReceivedFrame frame;
            try
            {
                frame = await socket.ReceiveAsync(ct).ConfigureAwait(false);
            }
            catch (WebSocketException e)
            {
                return new AsrException(AsrErrorKind.Connection, "ConnectionLost",
                    $"The connection to {Provider} was lost{(conn.EndSent ? " while draining" : "")}: {e.Message}", e)
                { Provider = Provider, IsTransient = true, CloseCode = 1006 };
            }
            Interlocked.Exchange(ref conn.LastFrameTicks, _clock.ElapsedTicks);
            if (frame.Type == WebSocketMessageType.Close)
            {
                var ws = socket.WebSocket;
                int code = (int)(ws.CloseStatus ?? WebSocketCloseStatus.Empty);
                string? reason = ws.CloseStatusDescription;
                _log.LogDebug("{Provider} closed the connection: {Code} {Reason}", Provider, code, reason);
                var err = _protocol.MapClose(code, reason, conn.EndSent);
                if (err is null && !conn.EndSent)
                    err = new AsrException(AsrErrorKind.Provider, "ClosedBeforeEndOfStream",
                        $"{Provider} closed the connection ({code}) before the end of stream; audio after {_covered:0.00} s got no final result.")
                    { Provider = Provider, CloseCode = code };
                return err;
            }
            if (frame.Oversized)
            {
                _log.LogWarning("Skipped a frame from {Provider} larger than {Limit} bytes.", Provider, _options.MaxFrameBytes);
                continue;
            }
            if (frame.Type == WebSocketMessageType.Binary)
            {
                _log.LogDebug("Ignored a {Length}-byte binary frame from {Provider}.", frame.Length, Provider);
                continue;
            }
            string text = frame.Text;
            ParsedMessage parsed;
            try
            {
                parsed = conn.Parser.ParseText(text);
            }
            catch (Exception e)
            {
                _log.LogDebug("Ignored a frame from {Provider} that failed to parse ({Error}): {Frame}", Provider, e.Message, Truncate(text));
                continue;
            }
            if (ReferenceEquals(parsed, ParsedMessage.Ignored))
            {
                _log.LogDebug("Ignored frame from {Provider}: {Frame}", Provider, Truncate(text));
                continue;
            }
            _log.LogTrace("Frame from {Provider}: {Frame}", Provider, Truncate(text));
            foreach (var r in parsed.Results) Publish(conn, r);
            if (parsed.Error is not null) return parsed.Error;
            if (parsed.Complete && conn.EndSent) return null;
        }
    }

    private static string Truncate(string s) => s.Length <= 500 ? s : s[..500] + "…";

    /// <summary>After a replay, a word that starts no later than this past the covered point was already delivered.</summary>
    private const double ReplayWordTolerance = 0.005;

    private void Publish(Connection conn, ProviderResult r)
    {
        string text = r.Text.Trim();
        if (text.Length == 0) return;
        Transcript t;
        lock (_gate)
        {
            double offset = conn.Offset;
            double? start = r.Start + offset, end = r.End + offset;
            var providerWords = r.Words;
            // After a replay the new connection hears audio some finals already covered: its words up to the covered
            // point were delivered before. Keep only the new words (the text is rebuilt from them); a result with no
            // words is a duplicate when it ends inside the covered audio.
            if (conn.Generation > 0 && r.IsFinal)
            {
                if (providerWords.Count > 0)
                {
                    var fresh = providerWords.Where(w => w.Start is not double ws || ws + offset > _covered + ReplayWordTolerance).ToList();
                    if (fresh.Count == 0)
                    {
                        _log.LogDebug("Dropped a replayed result already covered by finals: {Text}", text);
                        return;
                    }
                    if (fresh.Count < providerWords.Count)
                    {
                        _log.LogDebug("Trimmed {Count} replayed word(s) already delivered from: {Text}", providerWords.Count - fresh.Count, text);
                        providerWords = fresh;
                        text = string.Join(" ", fresh.Select(w => w.Text));
                        start = fresh[0].Start + offset;
                    }
                }
                else if ((end ?? start ?? double.MaxValue) <= _covered + 0.05)
                {
                    _log.LogDebug("Dropped a replayed result already covered by finals: {Text}", text);
                    return;
                }
            }
            if (!_segments.TryGetValue((conn.Generation, r.SegmentKey), out int segment))
            {
                segment = _segments.Count;
                _segments[(conn.Generation, r.SegmentKey)] = segment;
            }
            var words = providerWords.Count == 0 ? WordList.Empty
                : new WordList(providerWords.Select(w => w with { Start = w.Start + offset, End = w.End + offset }).ToList());
            double coverEnd = end ?? words.LastOrDefault()?.Start ?? start ?? _sentSeconds;
            t = new Transcript
            {
                Provider = Provider,
                Source = _options.Source,
                Channel = _options.Channel,
                SessionId = Id,
                Segment = segment,
                IsFinal = r.IsFinal,
                Text = text,
                Start = start,
                End = end,
                TimesEstimated = r.TimesEstimated,
                Confidence = r.Confidence,
                Language = r.Language ?? _settings.Language,
                Speaker = r.Speaker ?? _options.SpeakerLabel,
                ReceivedAt = DateTimeOffset.UtcNow,
                Latency = LatencyFor(coverEnd),
                Words = words,
            };
            if (r.IsFinal) _openPartials.Remove(segment);
            else _openPartials[segment] = t;
            if (r.IsFinal)
            {
                conn.FinalsReceived++;
                if (_finals.TryGetValue(segment, out var previous) && previous.Text == t.Text)
                {
                    _log.LogDebug("Dropped a repeated final for segment {Segment}.", segment);
                    return;
                }
                _finals[segment] = t;
                _finalsCount++;
                if (coverEnd > _covered)
                {
                    _covered = coverEnd;
                    while (_timeline.Count > 1 && _timeline.Peek().End < _covered - 5) _timeline.Dequeue();
                    TrimReplay();
                }
            }
            else
            {
                _partials++;
            }
        }
        _results.Writer.TryWrite(t);
    }

    private double? LatencyFor(double audioEnd)
    {
        long now = _clock.ElapsedTicks;
        foreach (var (end, sent) in _timeline)
            if (end >= audioEnd - 1e-6)
                return Math.Round((now - sent) / (double)Stopwatch.Frequency, 3);
        return null;
    }

    private void OnDrainTimeout()
    {
        var unconfirmed = new List<Transcript>();
        lock (_gate)
        {
            _drainTimedOut = true;
            _uncovered = _sentSeconds > _covered + 0.01 ? new[] { new TimeRange(_covered, _sentSeconds) } : Array.Empty<TimeRange>();
            // Nothing that arrived is dropped: a segment that only ever got partial results becomes a final flagged
            // Unconfirmed (the provider never confirmed it).
            foreach (var (segment, partial) in _openPartials.OrderBy(p => p.Key))
            {
                if (_finals.ContainsKey(segment)) continue;
                var f = partial.AsUnconfirmedFinal();
                _finals[segment] = f;
                _finalsCount++;
                unconfirmed.Add(f);
            }
            _openPartials.Clear();
        }
        foreach (var f in unconfirmed) _results.Writer.TryWrite(f);
        if (unconfirmed.Count > 0)
            _log.LogWarning("{Count} segment(s) of {Provider} only got partial results; they are given as finals marked Unconfirmed.", unconfirmed.Count, Provider);
        _log.LogWarning("{Provider} did not complete within {Timeout:0} s of the end of stream; {Range} of audio got no final result.",
            Provider, _options.DrainTimeout.TotalSeconds, _uncovered.Count > 0 ? _uncovered[0].ToString() : "no part");
    }

    private SessionSummary Summarize()
    {
        lock (_gate)
        {
            return new SessionSummary
            {
                SessionId = Id,
                Provider = Provider,
                AudioSentSeconds = Math.Round(_sentSeconds, 3),
                AudioCoveredSeconds = Math.Round(_covered, 3),
                Finals = _finalsCount,
                Partials = _partials,
                Completed = _completed,
                DrainTimedOut = _drainTimedOut,
                Uncovered = _uncovered,
                Reconnects = _reconnects,
                KeepAlives = _keepAlives,
                AudioReplayedSeconds = Math.Round(_replayedSeconds, 3),
                Lost = _lost.ToList(),
                Elapsed = _clock.Elapsed,
            };
        }
    }

    /// <summary>How long to wait for the server's close after ours (quiet completion).</summary>
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(2);

    /// <summary>Sends our close frame (1 s at most); never throws.</summary>
    private static async Task CloseOutputAsync(Connection conn, WebSocketCloseStatus status)
    {
        var ws = conn.Socket.WebSocket;
        try
        {
            if (ws.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var t = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                await ws.CloseOutputAsync(status, "", t.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException) { }
    }

    private static async Task CloseQuietlyAsync(Connection conn, WebSocketCloseStatus status)
    {
        await CloseOutputAsync(conn, status).ConfigureAwait(false);
        conn.Socket.WebSocket.Abort();
        conn.Socket.WebSocket.Dispose();
    }

    /// <summary>Stops at once: cancels sending and receiving and closes the socket. Idempotent, any thread.</summary>
    public void Abort()
    {
        try { _cts.Cancel(); } catch (ObjectDisposedException) { }
    }

    /// <summary>Aborts the session if it is still running and waits (at most 1 s) for its tasks to end.
    /// Idempotent and safe from any thread.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        if (!_completion.Task.IsCompleted)
        {
            _log.LogDebug("Closing {Provider} session {Id}.", Provider, Id);
            // Say goodbye (1001, going away) before tearing down, bounded so a dead network cannot delay Ctrl+C.
            if (_current is { } c && c.Socket.WebSocket.State == WebSocketState.Open)
            {
                try
                {
                    using var t = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
                    await c.Socket.WebSocket.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, "cancelled", t.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException) { }
            }
        }
        Abort();
        if (_run is not null)
            await Task.WhenAny(Task.WhenAll(_run, _keepAlive ?? Task.CompletedTask), Task.Delay(1000)).ConfigureAwait(false);
        _completion.TrySetCanceled();
        _results.Writer.TryComplete();
        if (_state is not SessionState.Completed and not SessionState.Failed) _state = SessionState.Closed;
    }
}
