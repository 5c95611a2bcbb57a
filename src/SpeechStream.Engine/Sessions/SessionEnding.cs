namespace SpeechStream.Engine.Sessions;

/// <summary>How a session ended.</summary>
public enum SessionEnding
{
    /// <summary>The provider confirmed completion (its README gives the rule).</summary>
    Completed,
    /// <summary>The server closed normally after the end of stream without its completion signal.</summary>
    ClosedWithoutCompletion,
    /// <summary>No completion within the drain timeout of the last result.</summary>
    DrainTimedOut,
    /// <summary>The connection kept dropping without progress: the consecutive reconnect budget ran out.</summary>
    ReconnectsExhausted,
    /// <summary>The server kept breaking the WebSocket protocol (invalid UTF-8, frames over the limit).</summary>
    ProtocolErrors,
    /// <summary>The provider refused the credentials or the request; the session's error says which.</summary>
    Failed,
    /// <summary>Stopped by the caller (Ctrl+C, Disconnect-AsrSession).</summary>
    Cancelled,
    /// <summary>Still running: the summary is a snapshot.</summary>
    Running,
}
