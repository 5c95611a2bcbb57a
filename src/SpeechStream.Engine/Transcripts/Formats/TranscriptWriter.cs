using System.Globalization;

namespace SpeechStream.Engine.Transcripts.Formats;

/// <summary>
/// Writes transcripts in one of the output formats. Each transcript is written and flushed as it arrives (subtitles
/// hold one result back, to end its cue no later than the next one starts), so output already written survives a
/// later failure. Thread-safe: rows never interleave.
/// </summary>
public abstract class TranscriptWriter
{
    /// <summary>Where the rows go.</summary>
    protected readonly TextWriter Out;
    private readonly object _lock = new();

    /// <summary>A writer on <paramref name="output"/>.</summary>
    protected TranscriptWriter(TextWriter output) => Out = output;

    /// <summary>The format names, lower case, as the CLI takes them (any case is accepted).</summary>
    public static readonly string[] Formats = Enum.GetNames<TranscriptFormat>().Select(n => n.ToLowerInvariant()).ToArray();

    /// <summary>Parses a format name in any case.</summary>
    /// <exception cref="ArgumentException">Not one of <see cref="Formats"/>; the message lists them.</exception>
    public static TranscriptFormat ParseFormat(string name) =>
        Enum.TryParse<TranscriptFormat>(name, ignoreCase: true, out var f) && Enum.IsDefined(f) && !int.TryParse(name, out _)
            ? f
            : throw new ArgumentException($"'{name}' is not an output format: expected one of {string.Join(", ", Formats)}.", nameof(name));

    /// <summary>The file extension for a format, without the dot: the format's name, and txt for text.</summary>
    public static string Extension(TranscriptFormat format) =>
        format == TranscriptFormat.Text ? "txt" : format.ToString().ToLowerInvariant();

    /// <param name="showProvider">Text format: prefix each line with the provider (several providers at once).</param>
    public static TranscriptWriter Create(TranscriptFormat format, TextWriter output, bool showProvider = false) => format switch
    {
        TranscriptFormat.Csv => new CsvWriter(output),
        TranscriptFormat.Jsonl => new JsonLinesWriter(output),
        TranscriptFormat.Srt => new SubtitleWriter(output, SubtitleFormat.Srt),
        TranscriptFormat.Vtt => new SubtitleWriter(output, SubtitleFormat.Vtt),
        _ => new TextWriterFormat(output) { ShowProvider = showProvider },
    };

    /// <inheritdoc cref="Create(TranscriptFormat, TextWriter, bool)"/>
    public static TranscriptWriter Create(string format, TextWriter output, bool showProvider = false) =>
        Create(ParseFormat(format), output, showProvider);

    /// <summary>Rows written so far (for subtitles: cues).</summary>
    public int Rows { get; protected set; }

    /// <summary>Writes one result and flushes; from any thread (rows never interleave).</summary>
    public void Write(Transcript t)
    {
        lock (_lock)
        {
            WriteCore(t);
            Out.Flush();
        }
    }

    /// <summary>Writes what is held back (subtitles' last cue). Call once, after the last <see cref="Write"/>.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            CompleteCore();
            Out.Flush();
        }
    }

    /// <summary>Writes one result; called under the writer's lock, and flushed after.</summary>
    protected abstract void WriteCore(Transcript t);

    /// <summary>Writes what is held back; called once, under the lock. Nothing by default.</summary>
    protected virtual void CompleteCore() { }

    internal static string Num(double? v) => v is double d ? d.ToString("0.###", CultureInfo.InvariantCulture) : "";
}
