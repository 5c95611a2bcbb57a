namespace SpeechStream.Emulator;

/// <summary>Faults and server behaviours the emulator can put on, for tests and for <c>speechstream emulate --profile</c>
/// (<see cref="EmulatorProfiles"/> names the useful combinations). Counts of connections are per server: a fault
/// "on the first connection" lets the client's reconnect succeed.</summary>
internal sealed class EmulatorFaults
{
    /// <summary>Refuse this many WebSocket handshakes first, with <see cref="RejectStatus"/>.</summary>
    public int RejectHandshakes { get; set; }
    /// <summary>Refuse every handshake from this one on (1 = the first), with <see cref="RejectStatus"/>; 0 = never.</summary>
    public int RejectFromHandshake { get; set; }
    /// <summary>HTTP status of a refused handshake (default 503).</summary>
    public int RejectStatus { get; set; } = 503;
    /// <summary>Retry-After header (seconds) sent with rejected handshakes.</summary>
    public int? RejectRetryAfterSeconds { get; set; }
    /// <summary>Accept the upgrade, then close 1008 with this reason at once (a key refused after the upgrade, as the
    /// Voxist LiveKit plugin's mock does: "Invalid API key").</summary>
    public string? CloseAfterUpgradeReason { get; set; }
    /// <summary>Close the connection with <see cref="CloseCode"/> once this much audio (s) has arrived.</summary>
    public double? CloseAfterAudioSeconds { get; set; }
    /// <summary>Close code of the close fault (default 1011).</summary>
    public int CloseCode { get; set; } = 1011;
    /// <summary>Close reason of the close fault (default empty).</summary>
    public string CloseReason { get; set; } = "";
    /// <summary>Apply the close fault to this many connections only (then behave).</summary>
    public int CloseTimes { get; set; } = 1;
    /// <summary>Drop the connection (TCP abort, no close frame: the client sees 1006) once this much audio (s) has arrived.</summary>
    public double? DropAfterAudioSeconds { get; set; }
    /// <summary>Apply the drop fault to this many connections only.</summary>
    public int DropTimes { get; set; } = 1;
    /// <summary>Drop the connection when the end of stream arrives, before answering it (a drop during the drain),
    /// on this many connections.</summary>
    public int DropAtEndOfStreamTimes { get; set; }
    /// <summary>Close 1000 as soon as the end of stream arrives, without the last results or the completion signal.</summary>
    public bool CloseWithoutCompletion { get; set; }
    /// <summary>Connections the close without completion applies to (then behave); 0: every connection.</summary>
    public int CloseWithoutCompletionTimes { get; set; }
    /// <summary>Send the completion signal first and the last results this long after it (results after the marker).</summary>
    public TimeSpan? ResultsAfterCompletion { get; set; }
    /// <summary>Close 1008 "idle timeout" after this many seconds without a frame from the client.</summary>
    public double? IdleTimeoutSeconds { get; set; }
    /// <summary>After this much audio (s), send hostile frames once per server: malformed JSON, an unknown type, a
    /// binary frame and "[]"; then go on normally.</summary>
    public double? HostileFramesAfterAudioSeconds { get; set; }
    /// <summary>After this much audio (s), send one text frame of <see cref="OversizedFrameBytes"/> bytes, on
    /// <see cref="ProtocolFaultTimes"/> connections.</summary>
    public double? OversizedFrameAfterAudioSeconds { get; set; }
    /// <summary>Size in bytes of the oversized frame (default 5 MiB, over the client's 4 MiB limit).</summary>
    public int OversizedFrameBytes { get; set; } = 5 << 20;
    /// <summary>After this much audio (s), send one text frame that is not valid UTF-8, on <see cref="ProtocolFaultTimes"/> connections.</summary>
    public double? InvalidUtf8AfterAudioSeconds { get; set; }
    /// <summary>Connections the oversized and invalid UTF-8 faults apply to.</summary>
    public int ProtocolFaultTimes { get; set; } = 1;
    /// <summary>After this much audio (s), send <see cref="PartialFloodCount"/> partial results at once, each opening a
    /// new segment where the protocol numbers segments (Voxist, VoxNexus), on the first connection.</summary>
    public double? PartialFloodAfterAudioSeconds { get; set; }
    /// <summary>How many partial results the flood sends (default 100,000).</summary>
    public int PartialFloodCount { get; set; } = 100_000;
    /// <summary>After this much audio (s), stop sending anything (results, completion) while still reading: a stalled server.</summary>
    public double? StallAfterAudioSeconds { get; set; }
    /// <summary>TTS: after this many audio chunks, send nothing more and never close (a client killed mid-file leaves
    /// what it wrote of them).</summary>
    public int? TtsStallAfterChunks { get; set; }
    /// <summary>Hold the WebSocket upgrade this long before answering (a slow or hung handshake).</summary>
    public TimeSpan HandshakeDelay { get; set; }
    /// <summary>After the end of stream, send nothing and never close (a stalled server).</summary>
    public bool StallAfterEndOfStream { get; set; }
    /// <summary>Wait this long after the end of stream before the last results.</summary>
    public TimeSpan CompletionDelay { get; set; }
    /// <summary>Send the provider's error frame once this much audio (s) has arrived (providers with error frames).</summary>
    public double? ErrorAfterAudioSeconds { get; set; }
    /// <summary>Code carried by the error frame (default <c>UNSUPPORTED_FORMAT</c>).</summary>
    public string ErrorCode { get; set; } = "UNSUPPORTED_FORMAT";
    /// <summary>After the error frame, close with this code (a forced close, as Smallest's unified route documents);
    /// null: leave the connection open.</summary>
    public int? CloseAfterError { get; set; }
    /// <summary>Message carried by the error frame (default "Invalid audio format").</summary>
    public string ErrorMessage { get; set; } = "Invalid audio format";
}
