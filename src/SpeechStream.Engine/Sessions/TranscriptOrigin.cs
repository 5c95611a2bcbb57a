namespace SpeechStream.Engine.Sessions;

/// <summary>What every transcript of a session carries: the provider's name, the source and channel (as the caller
/// named them), our session id, the session's language, and the speaker label to use when the provider names none.</summary>
internal sealed record TranscriptOrigin(string Provider, string? Source, string? Channel, string SessionId, string Language, string? SpeakerLabel);
