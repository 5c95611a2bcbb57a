using SpeechStream.Engine.Diagnostics;

namespace SpeechStream.Engine.Sessions;

/// <summary>Everything a session needs. Unset values take the provider's defaults (see <see cref="Providers.ProviderDescriptor"/>).
/// A record: hand copies with <c>with</c>.</summary>
public sealed record SessionOptions
{
    /// <summary>Provider name, case-insensitive (<c>Voxist</c>, …).</summary>
    public required string Provider { get; init; }

    /// <summary>Language code; the provider's default when null.</summary>
    public string? Language { get; init; }

    /// <summary>API key; when null the provider's environment variable (e.g. <c>VOXIST_API_KEY</c>) is read.</summary>
    public Secret? ApiKey { get; init; }

    /// <summary>Auth mode (Voxist: <c>token</c> or <c>key</c>); the provider's default when null.</summary>
    public string? AuthMode { get; init; }

    /// <summary>Named environment (<c>production</c>, <c>staging</c>); ignored when <see cref="Endpoint"/> is set.</summary>
    public string? Environment { get; init; }

    /// <summary>A custom WebSocket URL (self-hosted gateway, the emulator).</summary>
    public Uri? Endpoint { get; init; }

    /// <summary>Sample rate in Hz sent to the provider; the provider's default when null.</summary>
    public int? SampleRate { get; init; }

    /// <summary>Model id (Speechall <c>model</c>, required there; VoxNexus <c>model_id</c>).</summary>
    public string? Model { get; init; }

    /// <summary>Ask for word timings (Smallest <c>word_timestamps</c>, VoxNexus <c>enable_timestamps</c>); provider default when null.</summary>
    public bool? WordTimestamps { get; init; }

    /// <summary>Speaker diarization (Smallest <c>diarize</c>, Speechall <c>diarization</c>); provider default when null.</summary>
    public bool? Diarize { get; init; }

    /// <summary>Custom vocabulary (Smallest <c>keywords</c>, Speechall <c>custom_vocabulary</c>).</summary>
    public IReadOnlyList<string>? Vocabulary { get; init; }

    /// <summary>Provider-specific options, validated against the descriptor.</summary>
    public IReadOnlyDictionary<string, string> ProviderOptions { get; init; } = new Dictionary<string, string>();

    /// <summary>The file or stream name, copied into every transcript.</summary>
    public string? Source { get; init; }

    /// <summary>The channel label copied into every transcript (<c>mix</c>, <c>left</c>, <c>right</c>).</summary>
    public string? Channel { get; init; }

    /// <summary>Speaker label for results whose provider gives none (the channel name under Split).</summary>
    public string? SpeakerLabel { get; init; }

    /// <summary>How long to wait, after the end of stream, for the provider's completion since its last result
    /// (a recogniser still answering is waited for, up to the audio it still owes). Default 30 s.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>After a completion message (is_last, flush_done, end_of_process), how long the server must be quiet
    /// before the session closes, so a final sent just after the marker is not lost. Default 0.5 s.</summary>
    public TimeSpan CompletionGrace { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Protocol errors from the server (invalid UTF-8, a frame over the limit) tolerated over the session's
    /// life, each followed by a reconnect; one more ends the session. Default 2.</summary>
    public int MaxProtocolErrors { get; init; } = 2;

    /// <summary>How long one connect (HTTP upgrade and handshake) may take. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts per connect, including the first. Default 3.</summary>
    public int MaxConnectAttempts { get; init; } = 3;

    /// <summary>First backoff delay; doubles with jitter on each retry. Default 1 s.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Largest server frame accepted; larger frames are skipped and logged. Default 4 MiB.</summary>
    public int MaxFrameBytes { get; init; } = 4 << 20;

    /// <summary>After this long without audio from the caller (a muted microphone, rare Send-AsrAudio calls), send
    /// 100 ms of silence so providers with idle timeouts keep the connection (Deepgram NET-0001, pipecat #1113).
    /// Default 8 s; null turns it off. The silence counts as audio on the session's timeline.</summary>
    public TimeSpan? IdleKeepAlive { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>Allow ws:// (unencrypted) to a host that is not loopback: the key would travel in clear. Default false.</summary>
    public bool AllowUnencrypted { get; init; }

    /// <summary>Set by <see cref="Jobs.TranscriptionJob"/> once its <see cref="Jobs.TranscriptionJob.Validate"/> has
    /// shown the notes about these values, so that each session does not log them again.</summary>
    internal bool NotesShown { get; init; }

    /// <summary>WebSocket ping interval. Default 30 s.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Queue partial results on <see cref="AsrSession.Transcripts"/> (default). False when the caller wants finals
    /// only: the session then makes no transcript per partial (it still keeps each open segment's last one, to write
    /// it as an Unconfirmed final if the provider never finalises it).</summary>
    public bool EmitPartials { get; init; } = true;

    /// <summary>Audio kept for replay after a reconnect (audio not yet covered by a final). Default 30 s.</summary>
    public TimeSpan ReplayBuffer { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Keep the replay audio packed without loss (<see cref="ReplayStore"/>; about half the memory, about 4 µs
    /// of CPU per 100 ms chunk). True (default) for audio paced at real time (a microphone, a paced file, many
    /// sessions at once: memory is the cost, each second is held for seconds). <see cref="Jobs.FileTranscriber"/> sets
    /// it false for an unpaced file (speed "max"): there CPU is the cost (1 h of audio goes by in seconds, so packing
    /// would add about 0.14 CPU s per audio hour to 0.2), and little audio waits long.</summary>
    public bool PackReplayAudio { get; init; } = true;

    /// <summary>A copy with the source, channel and provider replaced (one file through several providers or channels).</summary>
    public SessionOptions With(string? provider = null, string? source = null, string? channel = null, Uri? endpoint = null,
        Secret? apiKey = null, string? speaker = null) => this with
    {
        Provider = provider ?? Provider, Source = source ?? Source, Channel = channel ?? Channel, Endpoint = endpoint ?? Endpoint,
        ApiKey = apiKey ?? ApiKey, SpeakerLabel = speaker ?? SpeakerLabel,
    };
}
