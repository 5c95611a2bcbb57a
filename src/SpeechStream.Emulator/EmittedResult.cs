namespace SpeechStream.Emulator;

/// <summary>A result the emulator sends: a segment's words so far, partial or final.</summary>
/// <param name="Segment">The segment's number, from 0 in the order of the script (or of the voiced regions).</param>
/// <param name="IsFinal">True for the segment's final result, false for a partial.</param>
/// <param name="Words">The words heard so far, in time order.</param>
internal sealed record EmittedResult(int Segment, bool IsFinal, IReadOnlyList<ScriptWord> Words)
{
    /// <summary>The words' text, joined by single spaces.</summary>
    public string Text => string.Join(" ", Words.Select(w => w.Text));

    /// <summary>Start of the first word, in seconds from the start of the audio; 0 without words.</summary>
    public double Start => Words.Count > 0 ? Words[0].Start : 0;

    /// <summary>End of the last word, in seconds from the start of the audio; 0 without words.</summary>
    public double End => Words.Count > 0 ? Words[^1].End : 0;
}
