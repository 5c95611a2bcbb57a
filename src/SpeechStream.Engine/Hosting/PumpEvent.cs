namespace SpeechStream.Engine.Hosting;

/// <summary>One event for the pipeline thread: an output object, a message, a progress record, or an error.</summary>
public readonly record struct PumpEvent(PumpEventKind Kind, object? Payload);
