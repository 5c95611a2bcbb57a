using SpeechStream.Engine.Audio;
using SpeechStream.Engine.Sessions;

namespace SpeechStream.Engine.Jobs;

/// <summary>What to transcribe and how.</summary>
public sealed class TranscriptionRequest
{
    /// <summary>The audio file.</summary>
    public required string Path { get; init; }

    /// <summary>Session settings (provider, language, key, endpoint…). <see cref="SessionOptions.Source"/> is set from <see cref="Path"/>.</summary>
    public required SessionOptions Session { get; init; }

    /// <summary>Declared format for headerless input; null reads a WAV header.</summary>
    public AudioFormat? RawFormat { get; init; }

    /// <summary>1 = real time (default), 2, 4 …; 0 = no pacing ("max").</summary>
    public double Speed { get; init; } = 1;

    /// <summary>Chunk duration in milliseconds; null uses the provider's recommended size (Voxist 100 ms =
    /// 3200 bytes at 16 kHz; Smallest 128 ms = 4096 bytes; Speechall 256 ms = 4096 samples).</summary>
    public int? ChunkMilliseconds { get; init; }

    /// <summary>Channel mix-down or selection.</summary>
    public ChannelSelection Channels { get; init; } = ChannelSelection.Mix;

    /// <summary>What "-" reads (standard input by default).</summary>
    public Stream? StandardInput { get; init; }

    /// <summary>True for one side of a Split: a mono file is then refused (SplitNeedsStereo).</summary>
    public bool RequireStereo { get; init; }

    /// <summary>Also hand out partial results.</summary>
    public bool IncludePartials { get; init; }

    /// <summary>Called with each chunk's lateness against the pacing schedule, in seconds (for load measurements).</summary>
    public Action<double>? OnChunkLateness { get; init; }
}
