namespace SpeechStream.Engine.Sessions;

/// <summary>What a close from the server means for the session.</summary>
public enum CloseKind
{
    /// <summary>A normal close (1000/1005) after the end of stream: the provider's completion policy decides whether
    /// it confirms completion (Voxist: yes; a marker provider: only after its marker; Speechall: when the results
    /// cover the audio).</summary>
    NormalAfterEnd,
    /// <summary>Going away, dropped, restarting, overloaded, or closed early: reconnect and replay.</summary>
    Transient,
    /// <summary>The provider refused the credentials: never retried (exit 3).</summary>
    Authentication,
    /// <summary>The provider refused the request (policy, format, limits): never retried (exit 4).</summary>
    Refused,
}
