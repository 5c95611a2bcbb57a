using System.Collections.ObjectModel;
using System.Globalization;

namespace SpeechStream.Engine.Transcripts;

/// <summary>
/// The words of a result. <see cref="ToString()"/> gives "word@start …" (start in seconds) so that a CSV column stays
/// readable, with the current culture's decimal separator, as PowerShell formats the Start and End columns beside it;
/// <see cref="ToString(string?, IFormatProvider?)"/> takes a culture (the CLI writes invariant numbers).
/// </summary>
public sealed class WordList : ReadOnlyCollection<TranscriptWord>, IFormattable
{
    /// <summary>No words.</summary>
    public static new readonly WordList Empty = new(Array.Empty<TranscriptWord>());

    /// <summary>The words, in order (wrapped, not copied).</summary>
    public WordList(IList<TranscriptWord> words) : base(words) { }

    /// <summary><c>word@start …</c> in the current culture.</summary>
    public override string ToString() => ToString(null, CultureInfo.CurrentCulture);

    /// <param name="format">Ignored.</param>
    public string ToString(string? format, IFormatProvider? provider) => string.Join(" ", this.Select(w => w.ToString(provider)));
}
