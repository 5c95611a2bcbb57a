namespace SpeechStream.Engine.Transcripts;

/// <summary>One column of a transcript row: its name (a <see cref="Transcript"/> property's) and how to read its value
/// from a transcript. The value is a <see cref="string"/>, <see cref="int"/>, <see cref="bool"/>, <see cref="double"/>
/// (seconds, or a 0–1 confidence), <see cref="DateTimeOffset"/>, <see cref="WordList"/>, or null.</summary>
internal sealed record TranscriptColumn(string Name, Func<Transcript, object?> Value);
