using Microsoft.Extensions.Logging;

namespace SpeechStream.Engine.Sessions;

/// <summary>
/// Runs a session's connections one after another: after a transient end (a drop, a close in the reconnect set, a
/// protocol error) it reconnects with backoff and the next connection replays what no final covered; after a renewal
/// it reconnects at once. It counts consecutive failures (reset by progress: a final on the connection) and protocol
/// errors over the session's life, and ends the session with a verdict: a <see cref="SessionSummary"/> (whole, or
/// incomplete with open segments written as Unconfirmed and a warning naming the missing audio), or the provider's
/// refusal as an <see cref="AsrException"/> carrying its summary. Runs on the session's own task.
/// </summary>
internal sealed class SessionSupervisor
{
    private readonly SessionParts _s;
    private readonly Connector _connector;
    private readonly Func<int> _partialsDiscarded;
    private volatile SessionState _state = SessionState.Connecting;
    private Connection? _first;
    private int _reconnects;
    /// <summary>The delivered point (s) when the session last reconnected to recover audio a close left uncovered; a
    /// stretch of audio is recovered once: a second close with no new final since ends the session.</summary>
    private double? _recoveredAt;

    /// <param name="partialsDiscarded">Reads how many partial results the session's reader never took (for the summary).</param>
    public SessionSupervisor(SessionParts parts, Connector connector, Func<int> partialsDiscarded)
    {
        _s = parts;
        _connector = connector;
        _partialsDiscarded = partialsDiscarded;
    }

    /// <summary>The session's state. The supervisor is its only writer; any thread may read it.</summary>
    public SessionState State => _state;

    /// <summary>Opens the session's first connection (retrying transient failures); the session is then Streaming.</summary>
    /// <exception cref="AsrException">The provider refused, or the retries ran out.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public async Task ConnectFirstAsync(CancellationToken ct)
    {
        _first = await _connector.ConnectAsync(0, ct).ConfigureAwait(false);
        _state = SessionState.Streaming;
    }

    /// <summary>The caller closed the session: Closed, unless it already ended (Completed, Incomplete, Failed).</summary>
    public void Close()
    {
        if (_state is not (SessionState.Completed or SessionState.Incomplete or SessionState.Failed)) _state = SessionState.Closed;
    }

    /// <summary>Runs the connections from the first (<see cref="ConnectFirstAsync"/>) until the verdict.</summary>
    /// <exception cref="AsrException">The provider refused the credentials or the request (carries its summary).</exception>
    /// <exception cref="OperationCanceledException">Cancelled: the state is then Closed.</exception>
    /// <exception cref="InvalidOperationException">Before <see cref="ConnectFirstAsync"/>.</exception>
    public async Task<SessionSummary> RunAsync(CancellationToken ct)
    {
        var first = _first ?? throw new InvalidOperationException("The session has no connection yet.");
        try
        {
            return await RunConnectionsAsync(first, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            _state = SessionState.Closed;
            throw;
        }
        catch (Exception e) when (e is not AsrException)
        {
            _state = SessionState.Failed;
            throw;
        }
    }

    private async Task<SessionSummary> RunConnectionsAsync(Connection conn, CancellationToken ct)
    {
        int consecutive = 0, protocolErrors = 0;
        while (true)
        {
            _state = _s.Queue.EndTaken ? SessionState.Draining : SessionState.Streaming;
            var end = await new ConnectionRunner(_s, conn, TailReheard, () => _state = SessionState.Draining).RunAsync(ct).ConfigureAwait(false);
            switch (end.Kind)
            {
                case ConnectionEndKind.Completed:
                    return Finish(SessionEnding.Completed, null);
                case ConnectionEndKind.ClosedWithoutCompletion:
                    if (!MayRecover(end, consecutive + 1)) return Finish(SessionEnding.ClosedWithoutCompletion, end.Error);
                    consecutive++;
                    break;
                case ConnectionEndKind.DrainTimedOut:
                    return Finish(SessionEnding.DrainTimedOut, end.Error);
                case ConnectionEndKind.Authentication or ConnectionEndKind.Refused:
                    throw Fail(end.Error!);
                case ConnectionEndKind.Renewed:
                    consecutive = 0;
                    break;
                default:
                    if (end.Kind == ConnectionEndKind.ProtocolError && ++protocolErrors > _s.Options.MaxProtocolErrors)
                        return Finish(SessionEnding.ProtocolErrors, end.Error);
                    consecutive = conn.FinalsReceived > 0 ? 1 : consecutive + 1;
                    if (consecutive >= _s.Options.MaxConnectAttempts)
                        return Finish(SessionEnding.ReconnectsExhausted, end.Error);
                    await BackoffAsync(end.Error!, consecutive, ct).ConfigureAwait(false);
                    break;
            }
            _state = SessionState.Reconnecting;
            _reconnects++;
            try
            {
                conn = await _connector.ConnectAsync(conn.Generation + 1, ct).ConfigureAwait(false);
            }
            catch (AsrException e) when (e.IsTransient)
            {
                return Finish(SessionEnding.ReconnectsExhausted, e);
            }
            catch (AsrException e)
            {
                throw Fail(e);
            }
        }
    }

    /// <summary>True while no final has moved past the point of the last recovery: the server has heard that stretch twice.</summary>
    private bool TailReheard() => _recoveredAt is double at && !_s.Ledger.DeliveredPast(at);

    /// <summary>A close after the end of stream, without the completion signal: when it left results owed
    /// (<see cref="ConnectionEnd.ResultsOwed"/>), a reconnect is allowed by the budget, and this stretch of audio has not
    /// been recovered before, the session reconnects and replays what no final covers before any verdict.</summary>
    private bool MayRecover(ConnectionEnd end, int attempt)
    {
        if (!end.ResultsOwed || attempt >= _s.Options.MaxConnectAttempts || TailReheard()) return false;
        double delivered = _s.Ledger.DeliveredSeconds;
        _recoveredAt = delivered;
        _s.Log.LogWarning("{Provider} closed the connection after the end of stream without its completion signal, with the audio from {From:0.00} s not confirmed by a final; reconnecting to resend it.",
            _s.Provider, delivered);
        return true;
    }

    private async Task BackoffAsync(AsrException why, int consecutive, CancellationToken ct)
    {
        if (why.RetryAfter is TimeSpan wait)
        {
            _s.Log.LogWarning("{Provider} asked to retry in {Delay:0.0} s ({Reason}).", _s.Provider, wait.TotalSeconds, why.Message);
        }
        else
        {
            // Exponential backoff with jitter over consecutive failures (1, 2, 4 × the base delay).
            wait = TimeSpan.FromMilliseconds(_s.Options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, consecutive - 1) * (0.5 + Random.Shared.NextDouble()));
            _s.Log.LogWarning("{Provider}: {Reason} Reconnecting in {Delay:0.00} s.", _s.Provider, why.Message, wait.TotalSeconds);
        }
        await Task.Delay(wait, ct).ConfigureAwait(false);
    }

    private SessionSummary Finish(SessionEnding ending, AsrException? why)
    {
        var assembler = _s.Assembler;
        if (ending != SessionEnding.Completed || assembler.HasOpenSegments) assembler.PromoteOpenSegments();
        var summary = Summarize(ending, why?.Message);
        _state = summary.IsWhole ? SessionState.Completed : SessionState.Incomplete;
        if (!summary.IsWhole) _s.Log.LogWarning("{Summary}", summary.Describe());
        return summary;
    }

    private AsrException Fail(AsrException error)
    {
        _s.Assembler.PromoteOpenSegments();
        var summary = Summarize(SessionEnding.Failed, error.Message);
        if (summary.Uncovered.Count > 0 || summary.UnconfirmedFinals > 0) _s.Log.LogWarning("{Summary}", summary.Describe());
        error.Summary = summary;
        _state = SessionState.Failed;
        return error;
    }

    /// <summary>The summary now (any thread; a snapshot while the session runs); audio after the delivered point counts as uncovered unless the provider confirmed completion.</summary>
    public SessionSummary Summarize(SessionEnding ending, string? reason)
    {
        var ledger = _s.Ledger;
        var assembler = _s.Assembler;
        double sent = ledger.SentSeconds, delivered = ledger.DeliveredSeconds;
        var lost = TimeRange.Merge(ledger.Lost);
        var ranges = new List<TimeRange>(lost);
        ranges.AddRange(assembler.UnconfirmedRanges.Select(r => new TimeRange(Math.Max(0, r.Start), Math.Min(sent, Math.Max(r.End, r.Start)))));
        if ((ending != SessionEnding.Completed || assembler.Unconfirmed > 0) && sent > delivered + 0.01)
            ranges.Add(new TimeRange(delivered, sent));
        var uncovered = TimeRange.Merge(ranges);
        double uncoveredSeconds = uncovered.Sum(r => r.Seconds), lostSeconds = lost.Sum(r => r.Seconds);
        return new SessionSummary
        {
            SessionId = _s.SessionId,
            Provider = _s.Provider,
            Source = _s.Options.Source,
            Channel = _s.Options.Channel,
            AudioSentSeconds = Math.Round(sent, 3),
            AudioCoveredSeconds = Math.Round(Math.Max(0, sent - uncoveredSeconds), 3),
            AudioReplayedSeconds = Math.Round(ledger.ReplayedSeconds, 3),
            AudioUnconfirmedSeconds = Math.Round(Math.Max(0, uncoveredSeconds - lostSeconds), 3),
            AudioLostSeconds = Math.Round(lostSeconds, 3),
            Uncovered = uncovered,
            Lost = lost,
            Ending = ending,
            EndingReason = ending == SessionEnding.Completed && assembler.Unconfirmed > 0
                ? $"{_s.Provider} completed but never finalised {assembler.Unconfirmed} segment(s) it had sent partial results for"
                : reason,
            Finals = assembler.Finals,
            Partials = assembler.Partials,
            UnconfirmedFinals = assembler.Unconfirmed,
            // Discarded open segments whose audio finals or written rows cover lost nothing: counted as superseded.
            OpenSegmentsDiscarded = assembler.DiscardedTextLost ? assembler.OpenSegmentsDiscarded : 0,
            PartialsSuperseded = assembler.PartialsSuperseded + (assembler.DiscardedTextLost ? 0 : assembler.OpenSegmentsDiscarded),
            Doubts = assembler.Doubts.Distinct().ToList(),
            PartialsDiscarded = _partialsDiscarded(),
            Reconnects = _reconnects,
            KeepAlives = _s.KeepAlives,
            Elapsed = _s.Clock.Elapsed,
        };
    }
}
