using System.Diagnostics;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using SpeechStream.Engine.Diagnostics;
using SpeechStream.Engine.Providers;

namespace SpeechStream.Engine.Sessions;

/// <summary>
/// Runs one connection of a session: replays the audio the ledger kept, then sends queued audio (the single writer;
/// keepalive silence and renewal come through the same FIFO); reads frames into the assembler (the single reader);
/// after the end of stream, drains under the provider's completion policy, bounded by the drain timeout (counted from
/// the last result, so a slow recogniser that keeps answering is waited for, up to the audio it still owes); then
/// closes with our close frame and waits, bounded, for the server's before disposing.
/// </summary>
internal sealed class ConnectionRunner
{
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(1);

    private readonly SessionParts _s;
    private readonly Connection _conn;
    private readonly CompletionPolicy _policy;
    /// <summary>Released by the reader when the drain may have changed: a result with text, or the completion marker.</summary>
    private readonly SemaphoreSlim _wake = new(0);

    private readonly Func<bool> _tailReheard;
    private readonly Action _draining;

    /// <param name="tailReheard">Asked when a close is read: whether the server has now heard twice a stretch a previous
    /// close left uncovered (<see cref="DrainState.TailReheard"/>; the supervisor owns the answer). Null: never.</param>
    /// <param name="draining">Called when the connection starts draining after the session's end of stream (not a
    /// renewal's): the supervisor, which owns the session's state, shows <see cref="SessionState.Draining"/>.</param>
    public ConnectionRunner(SessionParts parts, Connection conn, Func<bool>? tailReheard = null, Action? draining = null)
    {
        _s = parts;
        _conn = conn;
        _tailReheard = tailReheard ?? (() => false);
        _draining = draining ?? (() => { });
        _policy = CompletionPolicy.For(parts.Protocol, parts.Options);
    }

    /// <summary>The reader saw the provider's completion marker after our end of stream.</summary>
    private void OnMarker(long now)
    {
        _policy.OnMarker(now);
        Wake();
    }

    /// <summary>The reader handed the assembler a result with text: a policy waiting for quiet or coverage rechecks.</summary>
    private void Wake()
    {
        if (_conn.EndSent && _wake.CurrentCount == 0) _wake.Release();
    }

    /// <exception cref="OperationCanceledException">The session was cancelled.</exception>
    public async Task<ConnectionEnd> RunAsync(CancellationToken sessionToken)
    {
        var plan = _s.Ledger.BeginReplay();
        _conn.Begin(_s.Protocol.CreateParser(new ParserContext { Options = _s.Options, Language = _s.Settings.Language }), plan.OffsetSeconds);
        _s.Assembler.BeginConnection(_conn.Generation, plan);
        if (plan.Lost is TimeRange lost)
            _s.Log.LogWarning("{Provider}: the replay buffer no longer held {Range} of audio; it cannot be resent.", _s.Provider, lost);
        using var receiveCts = CancellationTokenSource.CreateLinkedTokenSource(sessionToken);
        var receive = Task.Run(() => new ConnectionReader(_s, _conn, OnMarker, Wake).RunAsync(receiveCts.Token), CancellationToken.None);
        // The writer waits for audio without a token (a cancellable wait allocates at every chunk): a marker wakes it.
        _ = receive.ContinueWith(_ => _s.Queue.TryEnqueue(QueueItem.WakeItem), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        var writer = new ConnectionWriter(_s, _conn);
        using var renewal = writer.StartRenewalTimer();
        Exception? writerError = null;
        try
        {
            await writer.WriteLoopAsync(plan, receive, sessionToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!sessionToken.IsCancellationRequested) { }
        catch (WebSocketException e) { writerError = e; }
        sessionToken.ThrowIfCancellationRequested();

        if (_conn.EndSent && !receive.IsCompleted)
        {
            if (!_conn.Renewing) _draining();
            if (await DrainAsync(receive, sessionToken).ConfigureAwait(false) is { } drained)
            {
                await CloseAsync(receive, receiveCts, WebSocketCloseStatus.NormalClosure).ConfigureAwait(false);
                return drained;
            }
        }
        else if (!receive.IsCompleted)
        {
            // The writer stopped without the end of stream (a send failed): the server's close frame, if one comes, says why.
            await Task.WhenAny(receive, Task.Delay(TimeSpan.FromSeconds(2), sessionToken)).ConfigureAwait(false);
            sessionToken.ThrowIfCancellationRequested();
        }
        ReceiveEnd how = receive.IsCompleted
            ? await ReceiveEndOf(receive, writerError).ConfigureAwait(false)
            : new ReceiveEnd.Dropped(writerError ?? new IOException("the connection stopped answering"));
        var end = Interpret(how);
        var status = how is ReceiveEnd.Broken b ? b.Status : WebSocketCloseStatus.NormalClosure;
        await CloseAsync(receive, receiveCts, status).ConfigureAwait(false);
        return end;
    }

    private static async Task<ReceiveEnd> ReceiveEndOf(Task<ReceiveEnd> receive, Exception? writerError)
    {
        try { return await receive.ConfigureAwait(false); }
        catch (OperationCanceledException) { return new ReceiveEnd.Dropped(writerError ?? new IOException("the connection was stopped")); }
    }

    private static void Cancel(CancellationTokenSource cts)
    {
        try { cts.Cancel(); } catch (ObjectDisposedException) { }
    }

    /// <summary>Waits for completion under the policy. Null: the receive loop ended first (its end says how).
    /// The deadline: the drain timeout after the last result (a recogniser still working sends partial results). For a
    /// provider without partial results (Speechall), never before a recogniser running at real time could have answered
    /// the audio it still owed at the end of stream (the tail). At most twice that in all, so a server that trickles
    /// results cannot hold the session forever.</summary>
    private async Task<ConnectionEnd?> DrainAsync(Task receive, CancellationToken ct)
    {
        long endSentTicks = _conn.EndSentTicks;
        var timeout = _s.Options.DrainTimeout > _policy.MinimumTimeout ? _s.Options.DrainTimeout : _policy.MinimumTimeout;
        long timeoutTicks = (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        bool showsProgress = _s.Protocol.Descriptor.Capabilities.HasFlag(Providers.ProviderCapabilities.PartialResults);
        long tailTicks = (long)(_s.TailSeconds * Stopwatch.Frequency);
        long owedTicks = endSentTicks + (showsProgress ? 0 : tailTicks);
        long hardLimitTicks = endSentTicks + 2 * (tailTicks + timeoutTicks);
        while (true)
        {
            long nowTicks = _s.Clock.ElapsedTicks;
            var (complete, recheck) = _policy.IsComplete(State(nowTicks, _policy.NeedsVoicedTail));
            if (complete) return Completed(nowTicks);
            long deadlineTicks = Math.Min(Math.Max(owedTicks, _conn.LastResultTicks) + timeoutTicks, hardLimitTicks);
            if (nowTicks >= deadlineTicks)
                return new ConnectionEnd(ConnectionEndKind.DrainTimedOut, new AsrException(AsrErrorKind.Timeout, "DrainTimeout",
                    $"{_s.Provider} did not confirm completion within {_s.Options.DrainTimeout.TotalSeconds:0} s of its last result after the end of stream (waiting for {_policy.Describe}).")
                    { Provider = _s.Provider });
            var wait = TimeSpan.FromSeconds(Math.Max(0.001, (deadlineTicks - nowTicks) / (double)Stopwatch.Frequency));
            if (recheck != Timeout.InfiniteTimeSpan && recheck < wait) wait = recheck + TimeSpan.FromMilliseconds(1);
            if (await Task.WhenAny(receive, _wake.WaitAsync(wait, ct)).ConfigureAwait(false) == receive) return null;
            ct.ThrowIfCancellationRequested();
        }
    }

    /// <param name="voiced">Scan the uncovered tail for sound (<see cref="AudioLedger.VoicedTail"/>, up to 30 s of PCM):
    /// only when the policy needs it while draining, or to read a close.</param>
    private DrainState State(long nowTicks, bool voiced = true) =>
        new(nowTicks, _conn.EndSentTicks, _conn.LastResultTicks, _s.TailSeconds,
            voiced ? _s.Ledger.VoicedTail() : _s.TailSeconds, _s.Assembler.HasOpenSegments, _tailReheard());

    private ConnectionEnd Completed(long nowTicks)
    {
        _conn.CountFinals(_s.Assembler.AddFinished(_conn.Parser.Finish(), nowTicks, _conn.FirstAudioTicks));
        if (_conn.Parser.Doubt is { } doubt) _s.Assembler.AddDoubt(doubt);
        // Completion confirms every second this connection was sent (the ledger still keeps the last seconds, so after
        // a renewal a word cut at the boundary is heard whole; repeats are removed like a replay's).
        double sent = _s.Ledger.SentSeconds;
        _s.Ledger.MarkDelivered(sent, sent);
        return new ConnectionEnd(_conn.Renewing ? ConnectionEndKind.Renewed : ConnectionEndKind.Completed);
    }

    private ConnectionEnd Interpret(ReceiveEnd how)
    {
        switch (how)
        {
            case ReceiveEnd.Closed c:
                _s.Log.LogDebug("{Provider} closed the connection: {Code} {Reason}", _s.Provider, c.Code, SecretRedactor.Redact(c.Reason));
                var verdict = _s.Protocol.ClassifyClose(c.Code, c.Reason, _conn.EndSent);
                var atClose = verdict.Kind == CloseKind.NormalAfterEnd ? State(_s.Clock.ElapsedTicks) : default;
                return verdict.Kind switch
                {
                    CloseKind.NormalAfterEnd when _policy.NormalCloseConfirms(atClose) => Completed(atClose.NowTicks),
                    CloseKind.NormalAfterEnd => new ConnectionEnd(ConnectionEndKind.ClosedWithoutCompletion, verdict.Error,
                        CompletionPolicy.LeavesResultsOwed(atClose, _s.Protocol)),
                    CloseKind.Transient => new ConnectionEnd(ConnectionEndKind.Transient, verdict.Error),
                    CloseKind.Authentication => new ConnectionEnd(ConnectionEndKind.Authentication, verdict.Error),
                    _ => new ConnectionEnd(ConnectionEndKind.Refused, verdict.Error),
                };
            case ReceiveEnd.Broken b:
                return new ConnectionEnd(ConnectionEndKind.ProtocolError, new AsrException(AsrErrorKind.Provider, "ProviderProtocolError",
                    $"{_s.Provider} sent {b.Problem}; the connection was closed ({(int)b.Status} {CloseCodes.Name((int)b.Status)}).")
                    { Provider = _s.Provider, CloseCode = (int)b.Status, IsTransient = true });
            case ReceiveEnd.Failed f:
                return new ConnectionEnd(f.Error.IsTransient ? ConnectionEndKind.Transient
                    : f.Error.Kind == AsrErrorKind.Authentication ? ConnectionEndKind.Authentication : ConnectionEndKind.Refused, f.Error);
            default:
                var e = ((ReceiveEnd.Dropped)how).Error;
                return new ConnectionEnd(ConnectionEndKind.Transient, new AsrException(AsrErrorKind.Connection, "ConnectionLost",
                    $"The connection to {_s.Provider} was lost{(_conn.EndSent ? " while draining" : "")}: {e.Message}", e)
                    { Provider = _s.Provider, IsTransient = true, CloseCode = 1006 });
        }
    }

    /// <summary>Sends our close frame (unless the socket is gone), waits up to a second for the server's, then
    /// disposes; the receive loop has ended when this returns.</summary>
    private async Task CloseAsync(Task receive, CancellationTokenSource receiveCts, WebSocketCloseStatus status)
    {
        var ws = _conn.Socket.WebSocket;
        try
        {
            if (ws.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var t = new CancellationTokenSource(CloseTimeout);
                await ws.CloseOutputAsync(status, "", t.Token).ConfigureAwait(false);
            }
            if (!receive.IsCompleted) await Task.WhenAny(receive, Task.Delay(CloseTimeout)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException) { }
        finally
        {
            Cancel(receiveCts);
            ws.Abort();
            await Task.WhenAny(receive, Task.Delay(CloseTimeout)).ConfigureAwait(false);
            ws.Dispose();
        }
    }
}
