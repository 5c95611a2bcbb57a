using System.Globalization;

namespace SpeechStream.Engine.Transcripts.Formats;

/// <summary>
/// CSV with the same columns (<see cref="TranscriptColumns"/>), in the same order, and the same text as <c>Export-Csv</c> writes for the same Transcript
/// under the invariant culture: PowerShell 7 quotes every field (-UseQuotes Always) except a null, which is left
/// empty (<c>,,</c>), where an empty string is <c>""</c>; each value is its ToString() (numbers shortest round-trip,
/// <c>ReceivedAt</c> as <c>MM/dd/yyyy HH:mm:ss zzz</c>, <c>Words</c> as <c>word@start …</c>). Export-Csv writes the
/// current culture's text, so the two agree byte for byte under the invariant culture (a shell without LANG, a
/// container) and differ in number and date format elsewhere.
/// </summary>
internal sealed class CsvWriter : TranscriptWriter
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private bool _header;

    /// <summary>A CSV writer on <paramref name="output"/>; the header goes out with the first row.</summary>
    public CsvWriter(TextWriter output) : base(output) { }

    protected override void WriteCore(Transcript t)
    {
        if (!_header)
        {
            Out.WriteLine(string.Join(",", TranscriptColumns.Names.Select(Quote)));
            _header = true;
        }
        Out.WriteLine(string.Join(",", TranscriptColumns.All.Select(c => Quote(Field(c.Value(t))))));
        Rows++;
    }

    /// <summary>A value as Export-Csv writes it under the invariant culture (its ToString(): numbers shortest
    /// round-trip, booleans True/False); null stays null.</summary>
    private static string? Field(object? value) => value switch
    {
        null => null,
        string s => s,
        WordList words => words.ToString(null, Invariant),
        IFormattable f => f.ToString(null, Invariant),
        _ => value.ToString(),
    };

    /// <summary>Quoted, quotes doubled; a null is an empty field without quotes, as Export-Csv leaves it.</summary>
    private static string Quote(string? s) => s is null ? "" : "\"" + s.Replace("\"", "\"\"") + "\"";
}
