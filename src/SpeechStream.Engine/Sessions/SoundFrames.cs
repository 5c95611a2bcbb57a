namespace SpeechStream.Engine.Sessions;

/// <summary>Finds sound in PCM s16le mono: frames of 20 ms louder than <see cref="ThresholdDb"/> count as sound, as
/// the emulators' energy segmenter does. Pure functions of plain values.</summary>
internal static class SoundFrames
{
    /// <summary>Frames of 20 ms louder than this (dBFS) count as sound.</summary>
    public const double ThresholdDb = -40;

    /// <summary>The file time (s) where the last frame with sound in <paramref name="pcm"/> ends, counting only frames
    /// that end after <paramref name="fromSeconds"/>; null when there is none.</summary>
    /// <param name="pcm">PCM s16le mono.</param>
    /// <param name="startSeconds">File time of its first sample.</param>
    /// <param name="bytesPerSecond">PCM bytes per second (twice the sample rate).</param>
    /// <param name="fromSeconds">Frames ending at or before this file time are not looked at.</param>
    public static double? LastSoundEnd(ReadOnlySpan<byte> pcm, double startSeconds, int bytesPerSecond, double fromSeconds)
    {
        int frame = Math.Max(2, bytesPerSecond / 50 & ~1);
        double threshold = Math.Pow(10, ThresholdDb / 20) * 32768, limit = threshold * threshold * (frame / 2);
        double? last = null;
        for (int at = 0; at + 1 < pcm.Length; at += frame)
        {
            int n = Math.Min(frame, pcm.Length - at) & ~1;
            double frameStart = startSeconds + (double)at / bytesPerSecond, frameEnd = frameStart + (double)n / bytesPerSecond;
            if (frameEnd <= fromSeconds) continue;
            double energy = 0;
            for (int i = at; i + 1 < at + n; i += 2)
            {
                short v = (short)(pcm[i] | (pcm[i + 1] << 8));
                energy += (double)v * v;
            }
            if (energy * frame > limit * n) last = frameEnd;
        }
        return last;
    }
}
