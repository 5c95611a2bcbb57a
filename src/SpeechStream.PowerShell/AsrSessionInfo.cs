using SpeechStream.Engine.Sessions;

namespace SpeechStream.PowerShell;

/// <summary>
/// A session as PowerShell users see it (Connect-AsrSession, Get-AsrSession, the -Session parameters): what it is,
/// where it stands and its summary so far. The engine's session behind it (its result channel and completion task)
/// stays inside the module.
/// </summary>
public sealed class AsrSessionInfo : IEquatable<AsrSessionInfo>
{
    internal AsrSessionInfo(AsrSession session) => Session = session;

    internal AsrSession Session { get; }

    /// <summary>Short id, unique in this process.</summary>
    public string Id => Session.Id;

    /// <summary>Provider name.</summary>
    public string Provider => Session.Provider;

    /// <summary>Connecting, Streaming, Draining, Reconnecting, Completed, Incomplete, Failed or Closed.</summary>
    public SessionState State => Session.State;

    /// <summary>Language the session asked for.</summary>
    public string Language => Session.Language;

    /// <summary>Sample rate in Hz of the PCM the session sends.</summary>
    public int SampleRate => Session.SampleRate;

    /// <summary>The WebSocket URL, with keys and tokens masked.</summary>
    public string Endpoint => Session.Endpoint;

    /// <summary>The audio source's name, when one was given.</summary>
    public string? Source => Session.Source;

    /// <summary>When the session was opened (UTC).</summary>
    public DateTimeOffset StartedAt => Session.StartedAt;

    /// <summary>Seconds of audio sent so far.</summary>
    public double AudioSentSeconds => Session.AudioSentSeconds;

    /// <summary>Audio sent, covered, replayed, unconfirmed and lost (seconds), and how the session ended.</summary>
    public SessionSummary Summary => Session.Summary;

    /// <summary>True when both describe the same session.</summary>
    public bool Equals(AsrSessionInfo? other) => other is not null && ReferenceEquals(Session, other.Session);

    /// <summary>True when <paramref name="obj"/> describes the same session.</summary>
    public override bool Equals(object? obj) => Equals(obj as AsrSessionInfo);

    /// <summary>The session's hash code.</summary>
    public override int GetHashCode() => Session.GetHashCode();

    /// <summary>The session id.</summary>
    public override string ToString() => Id;
}
