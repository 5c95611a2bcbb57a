using System.Diagnostics;
using SpeechStream.Engine.Providers;

namespace SpeechStream.Engine.Sessions;

/// <summary>What a completion policy knows while a connection drains: when the end of stream went out, when the
/// last frame came, how much of the audio sent its results do not cover yet (the tail), and how much of that tail
/// holds sound rather than silence (<see cref="AudioLedger.VoicedTail"/>), in seconds.</summary>
internal readonly record struct DrainState(long Now, long EndSent, long LastFrame, double Tail, double VoicedTail)
{
    public double QuietSeconds => (Now - Math.Max(EndSent, LastFrame)) / (double)Stopwatch.Frequency;
}

/// <summary>
/// How one provider's connection is known to be complete after the end of stream (each provider's README states
/// its rule). The receive loop reports markers (<see cref="OnMarker"/>); the connection runner asks
/// <see cref="IsComplete"/> until it is, and asks <see cref="NormalCloseConfirms"/> when the server closes normally
/// first. Completion confirmed means every result for the audio sent is in.
/// </summary>
internal abstract class CompletionPolicy
{
    private long _markerTicks;

    /// <summary>The policy for a provider: after a marker, a grace for trailing results (iApp, Smallest, VoxNexus);
    /// the server's close (Voxist); or quiet and covered (Speechall).</summary>
    public static CompletionPolicy For(ProviderProtocol protocol, SessionOptions options) => protocol.Completion switch
    {
        CompletionMode.Message => new Marker(options.CompletionGrace),
        CompletionMode.ServerClose => new ServerClose(),
        _ => new Quiet(protocol.QuietWindow(options)),
    };

    /// <summary>Stopwatch ticks of the completion marker, or 0.</summary>
    public long MarkerTicks => Interlocked.Read(ref _markerTicks);

    /// <summary>The provider's completion marker arrived (after the end of stream). The first one counts.</summary>
    public void OnMarker(long ticks) => Interlocked.CompareExchange(ref _markerTicks, ticks, 0);

    /// <summary>Complete now? Otherwise how long until it is worth asking again (infinite: only a frame or a close can change it).</summary>
    public abstract (bool Complete, TimeSpan Recheck) IsComplete(DrainState s);

    /// <summary>Whether a 1000/1005 close from the server after the end of stream confirms completion.</summary>
    public abstract bool NormalCloseConfirms(DrainState s);

    /// <summary>What the rule is, for messages ("no is_last" …).</summary>
    public abstract string Describe { get; }

    /// <summary>The shortest drain timeout the rule can live with (the quiet window needs its own length, and more).</summary>
    public virtual TimeSpan MinimumTimeout => TimeSpan.Zero;

    /// <summary>True when the rule reads <see cref="DrainState.VoicedTail"/> (it costs a scan of the tail's audio).</summary>
    public virtual bool NeedsVoicedTail => false;

    /// <summary>A marker, then read on until the server has been quiet for the grace (a final may follow the marker),
    /// or the server closes.</summary>
    private sealed class Marker(TimeSpan grace) : CompletionPolicy
    {
        public override (bool, TimeSpan) IsComplete(DrainState s)
        {
            long marker = MarkerTicks;
            if (marker == 0) return (false, Timeout.InfiniteTimeSpan);
            double quiet = (s.Now - Math.Max(marker, s.LastFrame)) / (double)Stopwatch.Frequency;
            return quiet >= grace.TotalSeconds ? (true, TimeSpan.Zero) : (false, TimeSpan.FromSeconds(grace.TotalSeconds - quiet));
        }

        public override bool NormalCloseConfirms(DrainState s) => MarkerTicks != 0;

        public override string Describe => "its completion message";
    }

    /// <summary>The server closes the socket (1000) when it has sent the last final.</summary>
    private sealed class ServerClose : CompletionPolicy
    {
        public override (bool, TimeSpan) IsComplete(DrainState s) => (false, Timeout.InfiniteTimeSpan);

        public override bool NormalCloseConfirms(DrainState s) => true;

        public override string Describe => "its close";
    }

    /// <summary>No signal exists: complete once the server has been quiet for the window and its results cover the
    /// audio: the uncovered tail holds no sound past <see cref="CoverTolerance"/> (trailing silence needs no result).
    /// Until then the session waits, up to the drain timeout from the last result (never less than the tail a
    /// real-time recogniser still had to hear). A normal close from the server confirms on the same condition.</summary>
    private sealed class Quiet(TimeSpan window) : CompletionPolicy
    {
        /// <summary>Sound after the last result that may still count as covered (a word's tail, a breath).</summary>
        private const double CoverTolerance = 0.5;

        public override (bool, TimeSpan) IsComplete(DrainState s)
        {
            double quiet = s.QuietSeconds;
            if (quiet < window.TotalSeconds) return (false, TimeSpan.FromSeconds(window.TotalSeconds - quiet));
            return s.VoicedTail <= CoverTolerance ? (true, TimeSpan.Zero) : (false, Timeout.InfiniteTimeSpan);
        }

        public override bool NormalCloseConfirms(DrainState s) => s.VoicedTail <= CoverTolerance;

        public override string Describe => "quiet with its results covering the audio";

        public override TimeSpan MinimumTimeout => window + TimeSpan.FromSeconds(1);

        public override bool NeedsVoicedTail => true;
    }
}
