using System.Diagnostics;
using SpeechStream.Engine.Providers;

namespace SpeechStream.Engine.Sessions;

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
        CompletionMode.Message => new Marker(options.CompletionGrace, closeConfirms: false, CoverToleranceSecondsFor(protocol)),
        CompletionMode.MessageOrServerClose => new Marker(options.CompletionGrace, closeConfirms: true, CoverToleranceSecondsFor(protocol)),
        CompletionMode.ServerClose => new ServerClose(CoverToleranceSecondsFor(protocol)),
        _ => new Quiet(protocol.QuietWindow(options), CoverToleranceSecondsFor(protocol)),
    };

    /// <summary>Sound after the point the last final covers that may still count as covered, in seconds: a word's tail or
    /// a breath (0.5 s) where results carry end times; where they carry start times only (Voxist), the covered point is
    /// the last word's start, so the word itself and the engine's 0.9 s end-of-utterance silence (Voxist README,
    /// "Completion") are allowed too: 1.5 s.</summary>
    public static double CoverToleranceSecondsFor(ProviderProtocol protocol) =>
        protocol.Descriptor.Capabilities.HasFlag(ProviderCapabilities.WordStartTimes) && !protocol.Descriptor.Capabilities.HasFlag(ProviderCapabilities.WordEndTimes)
            ? 1.5 : 0.5;

    /// <summary>True when the tail after the last final holds no more sound than <paramref name="toleranceSeconds"/> and no
    /// partial result waits for its final: nothing owed is left.</summary>
    protected static bool Covered(DrainState s, double toleranceSeconds) => !s.OpenSegments && s.VoicedTailSeconds <= toleranceSeconds;

    /// <summary>Whether a close without the completion signal left results owed: sound or partial results past the last
    /// final, or, for a provider that sends no times (iApp), always, as nothing tells what its results cover.</summary>
    public static bool LeavesResultsOwed(DrainState s, ProviderProtocol protocol) =>
        !protocol.SendsTimes || !Covered(s, CoverToleranceSecondsFor(protocol));

    /// <summary>For a provider whose close is its completion signal: no partial result waits for its final, and the sound
    /// after the last final is within the tolerance or was heard again after a previous such close.</summary>
    protected static bool CloseCovers(DrainState s, double toleranceSeconds) => !s.OpenSegments && (s.VoicedTailSeconds <= toleranceSeconds || s.TailReheard);

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

    /// <summary>True when <see cref="IsComplete"/> reads <see cref="DrainState.VoicedTailSeconds"/> (it costs a scan of
    /// the tail's audio on every wake).</summary>
    public virtual bool NeedsVoicedTail => false;

    /// <summary>The shortest drain timeout the rule can live with (the quiet window needs its own length, and more).</summary>
    public virtual TimeSpan MinimumTimeout => TimeSpan.Zero;


    /// <summary>A marker, then read on until no result has come for the grace (a final may follow the marker: Voxist's
    /// <c>Done!</c> can land ahead of the last final on a loaded pod), or the server closes. With
    /// <paramref name="closeConfirms"/>, a normal close without the marker confirms as <see cref="ServerClose"/> does.</summary>
    private sealed class Marker(TimeSpan grace, bool closeConfirms, double toleranceSeconds) : CompletionPolicy
    {
        public override (bool, TimeSpan) IsComplete(DrainState s)
        {
            long marker = MarkerTicks;
            if (marker == 0) return (false, Timeout.InfiniteTimeSpan);
            double quietSeconds = (s.NowTicks - Math.Max(marker, s.LastResultTicks)) / (double)Stopwatch.Frequency;
            return quietSeconds >= grace.TotalSeconds ? (true, TimeSpan.Zero) : (false, TimeSpan.FromSeconds(grace.TotalSeconds - quietSeconds));
        }

        public override bool NormalCloseConfirms(DrainState s) => MarkerTicks != 0 || (closeConfirms && CloseCovers(s, toleranceSeconds));

        public override string Describe => closeConfirms ? "its completion message or its close" : "its completion message";
    }

    /// <summary>The server closes the socket (1000) when it has sent the last final. A close that leaves sound or partial
    /// results uncovered is a close, not a completion (the session may reconnect and resend that audio).</summary>
    private sealed class ServerClose(double toleranceSeconds) : CompletionPolicy
    {
        public override (bool, TimeSpan) IsComplete(DrainState s) => (false, Timeout.InfiniteTimeSpan);

        public override bool NormalCloseConfirms(DrainState s) => CloseCovers(s, toleranceSeconds);

        public override string Describe => "its close";
    }

    /// <summary>No signal exists: complete once no result has come for the window and the results cover the audio: the
    /// uncovered tail holds no sound past the tolerance (trailing silence needs no result), whatever the upload speed.
    /// Until then the session waits (each new result wakes it), up to the drain timeout from the last result (never
    /// less than the tail a real-time recogniser still had to hear). A normal close from the server confirms on the
    /// same condition.</summary>
    private sealed class Quiet(TimeSpan window, double toleranceSeconds) : CompletionPolicy
    {
        public override (bool, TimeSpan) IsComplete(DrainState s)
        {
            double quietSeconds = s.QuietSeconds;
            if (quietSeconds < window.TotalSeconds) return (false, TimeSpan.FromSeconds(window.TotalSeconds - quietSeconds));
            return Covered(s, toleranceSeconds) ? (true, TimeSpan.Zero) : (false, Timeout.InfiniteTimeSpan);
        }

        public override bool NormalCloseConfirms(DrainState s) => Covered(s, toleranceSeconds);

        public override string Describe => "quiet with its results covering the audio";

        public override TimeSpan MinimumTimeout => window + TimeSpan.FromSeconds(1);

        public override bool NeedsVoicedTail => true;
    }
}
