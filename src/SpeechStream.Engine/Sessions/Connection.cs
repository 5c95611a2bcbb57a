using System.Diagnostics;
using SpeechStream.Engine.Providers;

namespace SpeechStream.Engine.Sessions;

/// <summary>One open connection of a session and what is known about it. Written by its writer (offset, end of
/// stream, first audio) and its receive loop (frames, results); the fields both sides read are volatile or
/// interlocked.</summary>
internal sealed class Connection
{
    public required int Generation { get; init; }
    public required ProtocolSocket Socket { get; init; }
    public required ConnectContext Context { get; init; }
    /// <summary>When to renew the connection before its credential expires, if ever.</summary>
    public DateTimeOffset? RenewAt { get; init; }
    /// <summary>The parser for this connection's frames (one per connection: parsers keep state).</summary>
    public IMessageParser Parser { get; set; } = null!;
    /// <summary>File time (s) of this connection's first audio sample.</summary>
    public double Offset { get; set; }
    /// <summary>Set once the end-of-stream frames start going out (the session's, or a renewal's).</summary>
    public volatile bool EndSent;
    /// <summary>Set when the end of stream was sent to renew the credential, not because the audio ended.</summary>
    public volatile bool Renewing;
    /// <summary>Stopwatch ticks: the end of stream sent, the first audio sent, the last frame and the last result received.</summary>
    public long EndSentTicks, FirstAudioTicks, LastFrameTicks, LastResultTicks;
    /// <summary>Finals received on this connection (progress, for the consecutive-failure budget).</summary>
    public int FinalsReceived;

    public double SecondsSince(long ticks, long now) => (now - ticks) / (double)Stopwatch.Frequency;
}
