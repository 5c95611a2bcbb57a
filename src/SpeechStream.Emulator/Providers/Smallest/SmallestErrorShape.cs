namespace SpeechStream.Emulator;

/// <summary>The error-frame shapes Smallest's own clients read (Smallest README, "Errors").</summary>
internal enum SmallestErrorShape
{
    /// <summary><c>{"error":"…","code":"…"}</c> (the cookbook's ping_pulse_streaming.py reads it).</summary>
    TopLevel,
    /// <summary><c>{"type":"error","error_code":"…","message":"…"}</c> (the changelog's 2026-06-29 example).</summary>
    Typed,
    /// <summary><c>{"status":"error","error":{"message","code"}}</c> (the legacy ErrorResponse schema).</summary>
    Status,
}
