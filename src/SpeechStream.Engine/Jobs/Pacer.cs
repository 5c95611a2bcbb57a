using System.Diagnostics;

namespace SpeechStream.Engine.Jobs;

/// <summary>
/// Paces chunk sends on a fixed schedule that does not drift: chunk n is due at t0 + n × chunk / speed,
/// whatever the delays before it. Speed 1 is real time (1 s of audio per second, as a live caller sends it); 0 or
/// <see cref="double.PositiveInfinity"/> means no pacing ("max").
/// </summary>
public sealed class Pacer
{
    private readonly Stopwatch _clock = new();
    private readonly double _secondsPerChunk;

    /// <param name="chunk">Audio duration of one chunk.</param>
    /// <param name="speed">Audio seconds per wall-clock second; 0 or +∞ = as fast as possible.</param>
    public Pacer(TimeSpan chunk, double speed)
    {
        if (double.IsNaN(speed) || speed < 0) throw new ArgumentOutOfRangeException(nameof(speed), "Speed must be positive, or 0 for no pacing.");
        Unpaced = speed == 0 || double.IsPositiveInfinity(speed);
        _secondsPerChunk = Unpaced ? 0 : chunk.TotalSeconds / speed;
    }

    /// <summary>True for speed 0 or infinity: chunks go out as fast as the socket takes them.</summary>
    public bool Unpaced { get; }

    /// <summary>Seconds elapsed since the first chunk.</summary>
    public double Elapsed => _clock.Elapsed.TotalSeconds;

    /// <summary>When chunk <paramref name="index"/> is due, in seconds after the first one.</summary>
    public double DueAt(long index) => index * _secondsPerChunk;

    /// <summary>Waits until chunk <paramref name="index"/> (from 0) is due. Returns at once when unpaced or late.
    /// The wait is on the process's one <see cref="PacingClock"/>, not a timer per chunk.</summary>
    /// <returns>How late the chunk is, in seconds (0 when on time or early).</returns>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<double> WaitAsync(long index, CancellationToken cancellationToken = default)
    {
        if (!_clock.IsRunning) { _clock.Start(); _start = Stopwatch.GetTimestamp(); }
        if (Unpaced) return 0;
        double wait = DueAt(index) - _clock.Elapsed.TotalSeconds;
        if (wait > 0.0005)
        {
            await _wait.WaitUntilAsync(_start + (long)(DueAt(index) * Stopwatch.Frequency), cancellationToken).ConfigureAwait(false);
            return Math.Max(0, _clock.Elapsed.TotalSeconds - DueAt(index));
        }
        return Math.Max(0, -wait);
    }

    private readonly PacedWait _wait = new();
    private long _start;

    /// <summary>Parses "1", "2", "0.5", "max".</summary>
    /// <exception cref="AsrException">InvalidInput naming the value and what is expected.</exception>
    /// <summary>The slowest and fastest paced speeds accepted: a tenth of real time, and a thousand times it (beyond
    /// that, use 'max').</summary>
    public const double MinSpeed = 0.1, MaxSpeed = 1000;

    /// <summary>Parses a speed: <c>max</c> (returned as 0, unpaced) or a number from <see cref="MinSpeed"/> to
    /// <see cref="MaxSpeed"/> (1 = real time), in the invariant culture.</summary>
    /// <exception cref="AsrException">InvalidInput: not <c>max</c> and not a number in range.</exception>
    public static double ParseSpeed(string text)
    {
        if (text.Trim().Equals("max", StringComparison.OrdinalIgnoreCase)) return 0;
        if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) && v >= MinSpeed && v <= MaxSpeed)
            return v;
        throw new AsrException(AsrErrorKind.InvalidInput, "SpeedInvalid",
            $"Speed '{text}' is not valid: expected a number from {MinSpeed} to {MaxSpeed} (1 = real time, 2, 4, …) or 'max'.");
    }
}
