using System.Collections.Concurrent;

namespace SpeechStream.Emulator;

/// <summary>What the emulator saw on one WebSocket connection.</summary>
internal sealed class EmulatedConnection
{
    /// <summary>The path of the upgrade request, e.g. <c>/ws</c>.</summary>
    public required string Path { get; init; }
    /// <summary>The upgrade's query parameters, unescaped (the first value of a repeated one).</summary>
    public required IReadOnlyDictionary<string, string> Query { get; init; }
    /// <summary>The upgrade's headers, names case-insensitive.</summary>
    public required IReadOnlyDictionary<string, string> Headers { get; init; }
    /// <summary>The query string as sent (without '?').</summary>
    public string RawQuery { get; init; } = "";
    /// <summary>Every value of a query parameter, in order (repeated parameters such as Speechall's custom_vocabulary).</summary>
    public IReadOnlyList<string> QueryValues(string name) => RawQuery.Split('&', StringSplitOptions.RemoveEmptyEntries)
        .Select(kv => kv.Split('=', 2))
        .Where(kv => Uri.UnescapeDataString(kv[0]) == name)
        .Select(kv => kv.Length > 1 ? Uri.UnescapeDataString(kv[1].Replace('+', ' ')) : "")
        .ToList();
    /// <summary>Sizes of the binary (or base64-decoded) audio frames, in order.</summary>
    public ConcurrentQueue<int> AudioFrames { get; } = new();
    /// <summary>Arrival times of the audio frames, seconds after the upgrade.</summary>
    public ConcurrentQueue<double> AudioFrameTimes { get; } = new();
    /// <summary>Text frames received, verbatim.</summary>
    public ConcurrentQueue<string> TextFrames { get; } = new();
    /// <summary>Frames sent to the client, verbatim (text) or described (close).</summary>
    public ConcurrentQueue<string> Sent { get; } = new();
    /// <summary>Bytes of audio received (PCM s16le); a field, read with <see cref="Interlocked.Read(ref readonly long)"/> from
    /// another thread.</summary>
    public long AudioBytes;
    /// <summary>The PCM received, when <see cref="EmulatorOptions.CaptureAudio"/> is set.</summary>
    public MemoryStream? ReceivedAudio;
    /// <summary>TTS: bytes of PCM the emulator sent (without any WAV header).</summary>
    public long SentAudioBytes;
    /// <summary>True once the client's end-of-stream frame arrived.</summary>
    public bool EndOfStreamReceived;
    /// <summary>How the connection ended: "server-close 1000", "client-close", "dropped".</summary>
    public string? Ending;
    /// <summary>The close code the client sent, if it sent one.</summary>
    public int? ClientCloseCode;
    /// <summary>Seconds from the upgrade: when the emulator sent its completion signal (after the end of stream), and
    /// when the client's close frame came.</summary>
    public double? CompletionSentAt, ClientClosedAt;
    /// <summary>Seconds from the upgrade when the emulator last sent a text frame.</summary>
    public double? LastSentAt;
}
