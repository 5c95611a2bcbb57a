using SpeechStream.Engine.Providers;
using SpeechStream.Engine.Transcripts;

namespace SpeechStream.Engine.Sessions;

/// <summary>A partial result of an open segment: what it takes to write it, built only when it is emitted or written
/// as an Unconfirmed final (a session whose caller wants finals only makes no transcript per partial).</summary>
/// <param name="Reach">How far its audio goes on the file's timeline (s), measured as a final's coverage is: its end,
/// else its last word's start; null when the provider sent neither (a start alone does not say how far its text runs;
/// estimated times do not count).</param>
/// <param name="Arrival">Its place in the order the partials arrived.</param>
internal sealed record OpenPartial(ProviderResult Result, string Text, double Offset, double? Start, double? End, bool TimesEstimated,
    int Segment, DateTimeOffset ReceivedAt, double? Latency, double? Reach, long Arrival)
{
    /// <summary>The row: a partial, or (<paramref name="isFinal"/>) a final marked Unconfirmed.</summary>
    public Transcript ToTranscript(TranscriptOrigin origin, bool isFinal)
    {
        var words = Shift(Result.Words, Offset);
        return new Transcript
        {
            Provider = origin.Provider, Source = origin.Source, Channel = origin.Channel, SessionId = origin.SessionId,
            Segment = Segment, IsFinal = isFinal, Unconfirmed = isFinal, Text = Text, Start = Start, End = End,
            TimesEstimated = TimesEstimated, Confidence = Result.Confidence, Language = Result.Language ?? origin.Language,
            Speaker = Result.Speaker ?? origin.SpeakerLabel, ReceivedAt = isFinal ? DateTimeOffset.UtcNow : ReceivedAt, Latency = Latency,
            Words = words.Count == 0 ? WordList.Empty : new WordList(words.ToList()),
        };
    }

    /// <summary>Words on the file's timeline.</summary>
    public static IReadOnlyList<TranscriptWord> Shift(IReadOnlyList<TranscriptWord> words, double offset) =>
        words.Count == 0 ? Array.Empty<TranscriptWord>() : words.Select(w => w with { Start = w.Start + offset, End = w.End + offset }).ToList();
}
