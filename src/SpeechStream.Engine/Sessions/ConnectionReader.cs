using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using SpeechStream.Engine.Diagnostics;
using SpeechStream.Engine.Providers;

namespace SpeechStream.Engine.Sessions;

/// <summary>
/// The single reader of one connection: parses each text frame with the connection's parser and hands its results to
/// the assembler in arrival order; skips binary, unknown and malformed frames (logged at Debug, secrets masked); tells
/// the runner when a result with text arrives and when the completion marker comes after our end of stream (a marker
/// before it, such as a mid-session frame starting with "Done", is not one); and returns how the reading ended.
/// </summary>
internal sealed class ConnectionReader(SessionParts s, Connection conn, Action<long> onMarker, Action onResult)
{
    public async Task<ReceiveEnd> RunAsync(CancellationToken ct)
    {
        var socket = conn.Socket;
        while (true)
        {
            ReceivedFrame frame;
            try
            {
                frame = await socket.ReceiveAsync(ct).ConfigureAwait(false);
            }
            catch (WebSocketException e) when (ProtocolSocket.IsProtocolViolation(e, socket.WebSocket))
            {
                return new ReceiveEnd.Broken("a frame that breaks the WebSocket protocol (text that is not valid UTF-8, or a malformed frame)",
                    WebSocketCloseStatus.InvalidPayloadData);
            }
            catch (WebSocketException e)
            {
                return new ReceiveEnd.Dropped(e);
            }
            long now = s.Clock.ElapsedTicks;
            if (frame.Type == WebSocketMessageType.Close)
                return new ReceiveEnd.Closed((int)(socket.WebSocket.CloseStatus ?? WebSocketCloseStatus.Empty), socket.WebSocket.CloseStatusDescription);
            if (frame.Oversized)
                return new ReceiveEnd.Broken($"a frame larger than the {s.Options.MaxFrameBytes}-byte limit", WebSocketCloseStatus.MessageTooBig);
            if (frame.Type == WebSocketMessageType.Binary)
            {
                s.Log.LogDebug("Ignored a {Length}-byte binary frame from {Provider}.", frame.Length, s.Provider);
                continue;
            }
            if (Parse(frame) is not { } parsed) continue;
            if (parsed.Results.Count > 0)
            {
                bool withText = false;
                foreach (var r in parsed.Results)
                {
                    withText |= !string.IsNullOrWhiteSpace(r.Text);
                    if (s.Assembler.Add(r, now, conn.FirstAudioTicks)) conn.CountFinals(1);
                }
                // Only a result with text is progress: Voxist's engine sends empty partial/final pairs through silence.
                if (withText)
                {
                    conn.MarkResultReceived(now);
                    onResult();
                }
            }
            if (parsed.Error is not null) return new ReceiveEnd.Failed(parsed.Error);
            if (parsed.Complete && conn.EndSent) onMarker(now);
        }
    }

    /// <summary>The frame parsed, or null when the parser ignored it or failed (logged).</summary>
    private ParsedMessage? Parse(ReceivedFrame frame)
    {
        ParsedMessage parsed;
        try { parsed = conn.Parser.ParseUtf8(frame.Data.AsMemory(0, frame.Length)); }
        catch (Exception e)
        {
            if (s.Log.IsEnabled(LogLevel.Debug))
                s.Log.LogDebug("Ignored a frame from {Provider} that failed to parse ({Error}): {Frame}", s.Provider, e.Message, Shown(frame.Text));
            return null;
        }
        if (ReferenceEquals(parsed, ParsedMessage.Ignored))
        {
            if (s.Log.IsEnabled(LogLevel.Debug)) s.Log.LogDebug("Ignored a frame from {Provider}: {Frame}", s.Provider, Shown(frame.Text));
            return null;
        }
        if (s.Log.IsEnabled(LogLevel.Trace)) s.Log.LogTrace("Frame from {Provider}: {Frame}", s.Provider, Shown(frame.Text));
        return parsed;
    }

    /// <summary>A frame as it may be logged: secrets masked (a server may echo the key), at most 500 characters.</summary>
    private static string Shown(string frame)
    {
        var redacted = SecretRedactor.Redact(frame);
        return redacted.Length <= 500 ? redacted : redacted[..500] + "…";
    }
}
