using SpeechStream.Engine.Audio;
using SpeechStream.Engine.Audio.Capture;
using SpeechStream.Engine.Sessions;

namespace SpeechStream.Engine.Jobs;

/// <summary>What to listen to and for how long.</summary>
public sealed class MicrophoneRequest
{
    /// <summary>Session settings (provider, language, key…).</summary>
    public required SessionOptions Session { get; init; }
    /// <summary>The capture command; null: WASAPI on Windows, else a capture tool for this platform (<see cref="CapturePlan.Choose"/>).</summary>
    public CaptureCommand? Capture { get; init; }
    /// <summary>The device: a WASAPI device name or part of one on Windows, the capture tool's device elsewhere; null:
    /// the default (followed on Windows). Ignored with an explicit <see cref="Capture"/>.</summary>
    public string? Device { get; init; }
    /// <summary>Capture what an output device plays (WASAPI loopback; Windows only).</summary>
    public bool Loopback { get; init; }
    /// <summary>The audio system to capture from; null: this platform's (<see cref="CaptureBackends.ForThisPlatform"/>).
    /// Tests pass a fake device here.</summary>
    public IAudioCaptureBackend? Backend { get; init; }
    /// <summary>Stop after this long; null = until stopped.</summary>
    public TimeSpan? Duration { get; init; }
    /// <summary>Chunk duration in milliseconds; null = the provider's recommendation.</summary>
    public int? ChunkMilliseconds { get; init; }
    /// <summary>Also hand out partial results.</summary>
    public bool IncludePartials { get; init; }
    /// <summary>Called with the capture process id once it runs (capture processes only).</summary>
    public Action<int>? OnCaptureStarted { get; init; }
    /// <summary>Called with the capture once it runs (a <see cref="CaptureSource"/> or a <see cref="DeviceCaptureSource"/>).</summary>
    internal Action<ILiveAudioSource>? OnCapture { get; init; }
}
