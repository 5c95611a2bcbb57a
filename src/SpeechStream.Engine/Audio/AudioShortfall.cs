namespace SpeechStream.Engine.Audio;

/// <summary>An input that ended before the length it declares: <paramref name="DeclaredSeconds"/> declared by
/// <paramref name="DeclaredBy"/> (e.g. "its WAV header"), <paramref name="ReadSeconds"/> read (seconds of audio).</summary>
public sealed record AudioShortfall(double DeclaredSeconds, double ReadSeconds, string DeclaredBy)
{
    /// <summary>Seconds declared but never read.</summary>
    public double MissingSeconds => Math.Max(0, DeclaredSeconds - ReadSeconds);

    /// <summary>The refusal of a truncated input found only at its end (ErrorId <c>AudioDataTruncated</c>, as a truncated
    /// WAV file is refused before it is sent): names the input, the seconds read, declared and missing.</summary>
    public AudioFormatException ToException(string source) =>
        new(source, "AudioDataTruncated", string.Create(System.Globalization.CultureInfo.CurrentCulture,
            $"the audio is truncated: it ended after {ReadSeconds:0.00} s, but {DeclaredBy} declares {DeclaredSeconds:0.00} s; ") +
            string.Create(System.Globalization.CultureInfo.CurrentCulture,
            $"{ReadSeconds:0.00}-{DeclaredSeconds:0.00} s ({MissingSeconds:0.00} s) are missing and were never transcribed. ") +
            "The input was probably cut short while being copied or recorded; the rows written cover only the audio read.");
}
