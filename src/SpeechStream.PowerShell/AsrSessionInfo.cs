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

    public string Provider => Session.Provider;

    /// <summary>Connecting, Streaming, Draining, Reconnecting, Completed, Incomplete, Failed or Closed.</summary>
    public SessionState State => Session.State;

    public string Language => Session.Language;

    /// <summary>Sample rate in Hz of the PCM the session sends.</summary>
    public int SampleRate => Session.SampleRate;

    /// <summary>The WebSocket URL, with keys and tokens masked.</summary>
    public string Endpoint => Session.Endpoint;

    public string? Source => Session.Source;

    public DateTimeOffset StartedAt => Session.StartedAt;

    /// <summary>Seconds of audio sent so far.</summary>
    public double AudioSentSeconds => Session.AudioSentSeconds;

    /// <summary>Audio sent, covered, replayed, unconfirmed and lost (seconds), and how the session ended.</summary>
    public SessionSummary Summary => Session.Summary;

    public bool Equals(AsrSessionInfo? other) => other is not null && ReferenceEquals(Session, other.Session);

    public override bool Equals(object? obj) => Equals(obj as AsrSessionInfo);

    public override int GetHashCode() => Session.GetHashCode();

    public override string ToString() => Id;
}
