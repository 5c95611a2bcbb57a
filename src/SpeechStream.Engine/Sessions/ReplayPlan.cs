namespace SpeechStream.Engine.Sessions;

/// <summary>What a new connection sends before fresh audio: the kept chunks, from <see cref="OffsetSeconds"/> (the file
/// time of its first sample, in seconds), and the audio the buffer had to drop since the last delivery, if any. Each
/// chunk is leased: the sender ends every lease (<see cref="AudioLedger.EndLease"/>), sent or not.</summary>
internal sealed record ReplayPlan(IReadOnlyList<AudioChunk> Chunks, double OffsetSeconds, TimeRange? Lost);
