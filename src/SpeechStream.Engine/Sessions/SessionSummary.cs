namespace SpeechStream.Engine.Sessions;

/// <summary>A span of audio, in seconds from the start of the file.</summary>
public readonly record struct TimeRange(double Start, double End)
{
    public override string ToString() => FormattableString.Invariant($"{Start:0.00}-{End:0.00} s");
}

/// <summary>How a session went. Seconds are of audio, from the start of the file.</summary>
public sealed record SessionSummary
{
    public required string SessionId { get; init; }
    public required string Provider { get; init; }
    /// <summary>Seconds of audio sent.</summary>
    public double AudioSentSeconds { get; init; }
    /// <summary>Audio up to this point (s) is covered by final results.</summary>
    public double AudioCoveredSeconds { get; init; }
    public int Finals { get; init; }
    public int Partials { get; init; }
    /// <summary>True when the provider signalled completion after the end of stream.</summary>
    public bool Completed { get; init; }
    /// <summary>True when the drain wait ran out before completion.</summary>
    public bool DrainTimedOut { get; init; }
    /// <summary>Audio that got no final result (set when the drain timed out).</summary>
    public IReadOnlyList<TimeRange> Uncovered { get; init; } = Array.Empty<TimeRange>();
    public int Reconnects { get; init; }
    /// <summary>Silence frames sent to keep an idle connection alive (100 ms each).</summary>
    public int KeepAlives { get; init; }
    /// <summary>Seconds of audio sent again after reconnects.</summary>
    public double AudioReplayedSeconds { get; init; }
    /// <summary>Audio that could not be replayed after a reconnect (the replay buffer had dropped it).</summary>
    public IReadOnlyList<TimeRange> Lost { get; init; } = Array.Empty<TimeRange>();
    public TimeSpan Elapsed { get; init; }
}
