namespace SpeechStream.Engine.Sessions;

/// <summary>A close read by <see cref="CloseCodes"/> or a provider's override: what it means and the error to report.</summary>
public sealed record CloseVerdict(CloseKind Kind, AsrException Error);
