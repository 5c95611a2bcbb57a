namespace SpeechStream.Engine.Transcripts;

/// <summary>
/// The one definition of a transcript's columns, in order: the <see cref="Transcript"/> properties, as Export-Csv
/// writes them. The CSV writer (<see cref="Formats.CsvWriter"/>) and the JSON lines writer
/// (<see cref="Formats.JsonLinesWriter"/>) both read this list; a test checks it against the properties.
/// </summary>
internal static class TranscriptColumns
{
    /// <summary>The columns, in the order of the <see cref="Transcript"/> properties.</summary>
    public static readonly IReadOnlyList<TranscriptColumn> All = new TranscriptColumn[]
    {
        new(nameof(Transcript.Provider), t => t.Provider),
        new(nameof(Transcript.Source), t => t.Source),
        new(nameof(Transcript.Channel), t => t.Channel),
        new(nameof(Transcript.SessionId), t => t.SessionId),
        new(nameof(Transcript.Segment), t => t.Segment),
        new(nameof(Transcript.IsFinal), t => t.IsFinal),
        new(nameof(Transcript.Text), t => t.Text),
        new(nameof(Transcript.Start), t => t.Start),
        new(nameof(Transcript.End), t => t.End),
        new(nameof(Transcript.TimesEstimated), t => t.TimesEstimated),
        new(nameof(Transcript.Confidence), t => t.Confidence),
        new(nameof(Transcript.Language), t => t.Language),
        new(nameof(Transcript.Speaker), t => t.Speaker),
        new(nameof(Transcript.ReceivedAt), t => t.ReceivedAt),
        new(nameof(Transcript.Latency), t => t.Latency),
        new(nameof(Transcript.Unconfirmed), t => t.Unconfirmed),
        new(nameof(Transcript.Words), t => t.Words),
    };

    /// <summary>The column names, in order (the CSV header).</summary>
    public static readonly IReadOnlyList<string> Names = All.Select(c => c.Name).ToArray();
}
