namespace SpeechStream.Engine.Sessions;

/// <summary>State of a session, as <c>Get-AsrSession</c> shows it. Written only by the session's supervisor
/// (<see cref="SessionSupervisor"/>); read through <see cref="AsrSession.State"/>.</summary>
public enum SessionState
{
    /// <summary>Opening the first connection.</summary>
    Connecting,
    /// <summary>Sending audio.</summary>
    Streaming,
    /// <summary>The end of stream was sent; waiting for the provider's last results.</summary>
    Draining,
    /// <summary>A connection ended early; opening the next one (its replay resends what no final covered).</summary>
    Reconnecting,
    /// <summary>Over, whole: completion confirmed and every second covered.</summary>
    Completed,
    /// <summary>Over, not whole: the summary says what audio is missing.</summary>
    Incomplete,
    /// <summary>Over: the provider refused, or the session failed.</summary>
    Failed,
    /// <summary>Cancelled or disposed before it ended.</summary>
    Closed,
}
