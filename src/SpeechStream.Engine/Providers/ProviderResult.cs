using SpeechStream.Engine.Transcripts;

namespace SpeechStream.Engine.Providers;

/// <summary>A result as a provider reported it, with times in seconds from the start of this connection's audio (the
/// session adds the connection's offset into the file).</summary>
/// <param name="SegmentKey">The provider's own segment number or id; null when the provider does not number its
/// segments (then each final is its own segment, and partials belong to the segment the next final closes).</param>
/// <param name="IsFinal">True for a final result; false for a partial that a later result replaces.</param>
/// <param name="Text">The text of the result.</param>
/// <param name="Start">Seconds from the start of the connection's audio; null when the provider sends no time.</param>
/// <param name="End">Seconds from the start of the connection's audio; null when the provider sends no end.</param>
/// <param name="Words">The words with their times, in seconds like <paramref name="Start"/> (empty when not sent).</param>
/// <param name="Confidence">The provider's confidence, 0 to 1, when it gives one.</param>
/// <param name="Language">The language the provider reported (detected or echoed), when it gives one.</param>
/// <param name="Speaker">The speaker label, when the provider diarizes.</param>
public sealed record ProviderResult(string? SegmentKey, bool IsFinal, string Text, double? Start, double? End,
    IReadOnlyList<TranscriptWord> Words, double? Confidence = null, string? Language = null, string? Speaker = null);
