namespace SpeechStream.Engine.Transcripts;

/// <summary>
/// One partial or final result, as users see it in Export-Csv and in <c>speechstream --format csv|jsonl</c>.
/// The scalar properties are the columns, in this order.
/// </summary>
public sealed class Transcript
{
    /// <summary>Provider name, e.g. <c>Voxist</c>.</summary>
    public required string Provider { get; init; }

    /// <summary>The audio file (or stream name) the result is about.</summary>
    public string? Source { get; init; }

    /// <summary>Channel the audio came from (<c>mix</c>, <c>left</c>, <c>right</c>).</summary>
    public string? Channel { get; init; }

    /// <summary>Our session id (stable over reconnects).</summary>
    public required string SessionId { get; init; }

    /// <summary>Segment number in this session, from 0. A later final for the same segment replaces the earlier one.</summary>
    public int Segment { get; init; }

    /// <summary>True for a final result; false for a partial that may still change.</summary>
    public bool IsFinal { get; init; }

    /// <summary>The text, trimmed.</summary>
    public required string Text { get; init; }

    /// <summary>Start in seconds from the start of the file.</summary>
    public double? Start { get; init; }

    /// <summary>End in seconds from the start of the file; null where the provider gives none.</summary>
    public double? End { get; init; }

    /// <summary>True when <see cref="Start"/>/<see cref="End"/> were estimated from the audio sent, because the
    /// provider sends no times (iApp: src/SpeechStream.Engine/Providers/IApp/README.md).</summary>
    public bool TimesEstimated { get; init; }

    /// <summary>Confidence 0–1, when the provider gives one.</summary>
    public double? Confidence { get; init; }

    /// <summary>Language the provider reports or was asked for.</summary>
    public string? Language { get; init; }

    /// <summary>Speaker label, when the provider diarizes.</summary>
    public string? Speaker { get; init; }

    /// <summary>When the result arrived (UTC).</summary>
    public DateTimeOffset ReceivedAt { get; init; }

    /// <summary>Seconds from sending the audio that covers this result to receiving it.</summary>
    public double? Latency { get; init; }

    /// <summary>True for a final the provider never confirmed: the session's drain timed out and this segment only
    /// had partial results, so its last partial is given as the final (nothing that arrived is dropped).</summary>
    public bool Unconfirmed { get; init; }

    /// <summary>Word timings, in seconds from the start of the file.</summary>
    public WordList Words { get; init; } = WordList.Empty;

    /// <summary>The text.</summary>
    public override string ToString() => Text;
}
