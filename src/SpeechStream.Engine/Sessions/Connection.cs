using SpeechStream.Engine.Providers;

namespace SpeechStream.Engine.Sessions;

/// <summary>One open connection of a session and what is known about it. Each fact has one writer, through a method:
/// the connection's writer (<see cref="ConnectionRunner"/>: <see cref="Begin"/>, <see cref="MarkAudioSent"/>,
/// <see cref="MarkEndSent"/>, <see cref="CountFinals"/>) and its receive loop (<see cref="ConnectionReader"/>:
/// <see cref="MarkResultReceived"/>, <see cref="CountFinals"/>); the others read. Reads are safe from any thread
/// (volatile or interlocked).</summary>
internal sealed class Connection
{
    private IMessageParser? _parser;
    private volatile bool _endSent, _renewing;
    private long _endSentTicks, _firstAudioTicks, _lastResultTicks;
    private int _finalsReceived;

    /// <summary>0 for the session's first connection, then one more for each reconnect or renewal.</summary>
    public required int Generation { get; init; }
    public required ProtocolSocket Socket { get; init; }
    public required ConnectContext Context { get; init; }
    /// <summary>When to renew the connection before its credential expires, if ever.</summary>
    public DateTimeOffset? RenewAt { get; init; }

    /// <summary>The parser for this connection's frames (one per connection: parsers keep state).</summary>
    /// <exception cref="InvalidOperationException">Before <see cref="Begin"/>.</exception>
    public IMessageParser Parser => _parser ?? throw new InvalidOperationException("The connection has not begun.");

    /// <summary>File time, in seconds, of this connection's first audio sample (the replay's offset).</summary>
    public double OffsetSeconds { get; private set; }

    /// <summary>True once the end-of-stream frames start going out (the session's, or a renewal's).</summary>
    public bool EndSent => _endSent;

    /// <summary>True when the end of stream was sent to renew the credential, not because the audio ended.</summary>
    public bool Renewing => _renewing;

    /// <summary>Stopwatch ticks (session clock) when the end of stream went out; 0 before.</summary>
    public long EndSentTicks => Interlocked.Read(ref _endSentTicks);

    /// <summary>Stopwatch ticks (session clock) when the first audio went out; 0 before.</summary>
    public long FirstAudioTicks => Interlocked.Read(ref _firstAudioTicks);

    /// <summary>Stopwatch ticks (session clock) when the last result with text came; 0 before.</summary>
    public long LastResultTicks => Interlocked.Read(ref _lastResultTicks);

    /// <summary>Finals received on this connection (progress, for the consecutive-failure budget).</summary>
    public int FinalsReceived => Volatile.Read(ref _finalsReceived);

    /// <summary>The connection starts: its parser, and the file time (s) of the first sample it will send.</summary>
    public void Begin(IMessageParser parser, double offsetSeconds)
    {
        OffsetSeconds = offsetSeconds;
        _parser = parser;
    }

    /// <summary>Audio went out at <paramref name="ticks"/> (Stopwatch ticks); the first call counts.</summary>
    public void MarkAudioSent(long ticks) => Interlocked.CompareExchange(ref _firstAudioTicks, ticks, 0);

    /// <summary>The end-of-stream frames start going out at <paramref name="ticks"/> (Stopwatch ticks);
    /// <paramref name="renewing"/>: to renew the credential, not because the audio ended.</summary>
    public void MarkEndSent(long ticks, bool renewing)
    {
        Interlocked.Exchange(ref _endSentTicks, ticks);
        _renewing = renewing;
        _endSent = true;
    }

    /// <summary>A result with text came at <paramref name="ticks"/> (Stopwatch ticks).</summary>
    public void MarkResultReceived(long ticks) => Interlocked.Exchange(ref _lastResultTicks, ticks);

    /// <summary><paramref name="count"/> more finals were delivered from this connection.</summary>
    public void CountFinals(int count)
    {
        if (count > 0) Interlocked.Add(ref _finalsReceived, count);
    }
}
