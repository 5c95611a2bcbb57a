namespace SpeechStream.Engine;

/// <summary>A session that ended without a whole transcript (<see cref="AsrErrorKind.Incomplete"/>, ErrorId
/// <c>TranscriptIncomplete</c>): the message names the audio without a confirmed final; <see cref="AsrException.Summary"/>
/// has the details. The rows already written (some marked Unconfirmed) are the transcript there is.</summary>
public sealed class TranscriptIncompleteException : AsrException
{
    /// <summary>The ErrorId: <c>TranscriptIncomplete</c>.</summary>
    public const string Id = "TranscriptIncomplete";

    /// <summary>The exception for <paramref name="summary"/>, a session that did not end whole; the message is its
    /// <see cref="Sessions.SessionSummary.Describe"/>.</summary>
    public TranscriptIncompleteException(Sessions.SessionSummary summary)
        : base(AsrErrorKind.Incomplete, Id, summary.Describe())
    {
        Provider = summary.Provider;
        Summary = summary;
    }
}
