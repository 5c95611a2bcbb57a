namespace SpeechStream.Engine.Transcripts.Formats;

/// <summary>The output formats of <c>speechstream transcribe --format</c> and <c>Invoke-AsrFile -OutputFormat</c>.</summary>
public enum TranscriptFormat
{
    /// <summary>Readable lines: <c>[00:04.21 - 00:06.10] left: text</c>.</summary>
    Text,
    /// <summary>What <c>Export-Csv</c> writes for a Transcript under the invariant culture: its columns, every field quoted but a null.</summary>
    Csv,
    /// <summary>One JSON object per line, camelCase.</summary>
    Jsonl,
    /// <summary>SubRip subtitles from the final results.</summary>
    Srt,
    /// <summary>WebVTT subtitles from the final results.</summary>
    Vtt,
}
