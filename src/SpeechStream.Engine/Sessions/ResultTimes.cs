using SpeechStream.Engine.Providers;

namespace SpeechStream.Engine.Sessions;

/// <summary>
/// Time offsets: puts a provider result on the file's timeline. Pure functions of plain values (no clock, no socket).
/// </summary>
internal static class ResultTimes
{
    /// <summary>An untimed result counts as paced when the audio sent is at most this far (s) ahead of real time.</summary>
    public const double PacedSlackSeconds = 0.5;

    /// <summary>Places <paramref name="r"/>: its times plus <paramref name="offsetSeconds"/>; where the provider sends
    /// none (iApp), start = <paramref name="lastCommitSeconds"/> and end = <paramref name="sentSeconds"/> (rounded to
    /// the millisecond) when the upload was paced, else none (the estimate would be wrong).</summary>
    /// <param name="offsetSeconds">File time of the connection's first sample.</param>
    /// <param name="providerSendsTimes">The provider's results carry times at all.</param>
    /// <param name="sentSeconds">Audio handed to connections so far (file time).</param>
    /// <param name="sinceFirstAudioSeconds">Wall time since the connection's first audio; null before any.</param>
    /// <param name="lastCommitSeconds">The audio sent when the previous untimed final came.</param>
    public static PlacedTimes Place(ProviderResult r, double offsetSeconds, bool providerSendsTimes, double sentSeconds,
        double? sinceFirstAudioSeconds, double lastCommitSeconds)
    {
        double? start = r.Start + offsetSeconds, end = r.End + offsetSeconds;
        double? lastWordStart = null;
        for (int i = r.Words.Count - 1; i >= 0 && lastWordStart is null; i--) lastWordStart = r.Words[i].Start + offsetSeconds;
        bool hasTimes = providerSendsTimes && (start is not null || end is not null || lastWordStart is not null);
        // Untimed: the audio sent bounds the result's end; a real-time recogniser cannot have heard more than the
        // wall time since this connection's first audio.
        double realTime = offsetSeconds + (sinceFirstAudioSeconds ?? 0);
        double estimated = Math.Min(sentSeconds, realTime);
        bool paced = sentSeconds <= realTime + PacedSlackSeconds;
        if (!hasTimes)
        {
            start = paced ? Math.Round(lastCommitSeconds, 3) : null;
            end = paced ? Math.Round(sentSeconds, 3) : null;
        }
        return new PlacedTimes(start, end, lastWordStart, hasTimes, estimated);
    }
}
