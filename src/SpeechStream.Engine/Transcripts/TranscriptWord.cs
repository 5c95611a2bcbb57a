using System.Globalization;

namespace SpeechStream.Engine.Transcripts;

/// <summary>One word with its timing. Times are seconds from the start of the file; <see cref="End"/>
/// is null where the provider gives none (Voxist gives start times only: src/SpeechStream.Engine/Providers/Voxist/README.md). <see cref="ToString()"/> reads as
/// in the Words column, <c>word@start</c>, not as a record's member list.</summary>
public sealed record TranscriptWord(string Text, double? Start, double? End, double? Confidence)
{
    /// <summary><c>word@start</c> in the current culture (see <see cref="ToString(IFormatProvider?)"/>).</summary>
    public override string ToString() => ToString(CultureInfo.CurrentCulture);

    /// <summary><c>word@start</c> (seconds, up to 3 decimals, in <paramref name="provider"/>'s format), or the word alone.</summary>
    public string ToString(IFormatProvider? provider) => Start is double s ? $"{Text}@{s.ToString("0.###", provider)}" : Text;
}
