namespace SpeechStream.Engine.Providers;

/// <summary>A value the user gave, as it will be sent, and what was noticed about it (null: nothing).</summary>
/// <param name="Value">The value to send: the provider's own spelling when it matched a listed value case-insensitively.</param>
/// <param name="Note">For a value outside the documents' list of a provider that takes others: one line for the
/// Verbose stream (the CLI's --verbose), with the nearest listed values.</param>
public sealed record CheckedValue(string Value, string? Note);
