using SpeechStream.Engine.Transcripts;

namespace SpeechStream.Engine.Sessions;

/// <summary>A final's text, words and start after the replay filter (<see cref="ReplayFilter.FilterFinal"/>).</summary>
internal readonly record struct FilteredFinal(string Text, IReadOnlyList<TranscriptWord> Words, double? Start);
