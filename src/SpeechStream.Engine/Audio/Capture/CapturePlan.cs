using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SpeechStream.Engine.Audio.Capture;

/// <summary>
/// How live audio will be captured, decided (and the device found) before any connection: a capture device of the
/// platform's audio system (<see cref="Device"/>: WASAPI, the default on Windows), or a capture process
/// (<see cref="Process"/>: the user's <c>--capture-command</c>, or arecord/sox/ffmpeg, the path on Linux and macOS and
/// the fallback on Windows when WASAPI cannot be reached).
/// </summary>
internal abstract record CapturePlan
{
    /// <summary>A capture program writing PCM to its standard output.</summary>
    public sealed record Process(CaptureCommand Command) : CapturePlan
    {
        public override string ToString() => Command.ToString();
    }

    /// <summary>A device of <paramref name="Backend"/>; <paramref name="Endpoint"/> null: the default one of <paramref name="Kind"/>.</summary>
    public sealed record Device(IAudioCaptureBackend Backend, AudioDeviceInfo? Endpoint, AudioDeviceKind Kind) : CapturePlan
    {
        public override string ToString() => $"{Backend.Name} {(Kind == AudioDeviceKind.Output ? "loopback of " : "")}{Endpoint?.Name ?? "default device"}";
    }

    /// <summary>Decides the capture.</summary>
    /// <param name="command">The user's capture command: used as it is, on every OS.</param>
    /// <param name="device">The device name (<c>--device</c>/<c>-Device</c>): a WASAPI device name or part of one, or the
    /// capture tool's device where there is no audio system backend.</param>
    /// <param name="loopback">Capture what an output plays (WASAPI only).</param>
    /// <param name="backend">The platform's audio system; null: <see cref="CaptureBackends.ForThisPlatform"/>.</param>
    /// <param name="isOnPath">Which programs exist (tests); default a PATH search.</param>
    /// <param name="platform">The OS to plan for (tests); default this one.</param>
    /// <exception cref="AsrException">InvalidInput: the device errors of <see cref="DeviceSelector.Select"/>;
    /// <c>LoopbackNotSupported</c> without WASAPI or with a capture command; the capture tool errors of
    /// <see cref="MicrophoneCapture.Choose"/>.</exception>
    public static CapturePlan Choose(CaptureCommand? command, string? device, bool loopback, IAudioCaptureBackend? backend = null,
        ILogger? log = null, Func<string, bool>? isOnPath = null, OSPlatform? platform = null)
    {
        log ??= NullLogger.Instance;
        if (command is not null)
            return loopback
                ? throw new AsrException(AsrErrorKind.InvalidInput, "LoopbackNotSupported",
                    "--loopback (-Loopback) picks a WASAPI output device; with --capture-command (-CaptureCommand) the command decides what it captures. Drop one of them.")
                : new Process(command);
        backend ??= CaptureBackends.ForThisPlatform();
        var kind = loopback ? AudioDeviceKind.Output : AudioDeviceKind.Microphone;
        if (backend is not null)
        {
            IReadOnlyList<AudioDeviceInfo> devices;
            try { devices = backend.ListDevices(); }
            catch (AsrException e) when (e.ErrorId == "CaptureBackendUnavailable" && !loopback)
            {
                var fallback = FallbackTool(device, isOnPath, platform, e);
                log.LogWarning("{Reason} Capturing through {Tool} instead.", e.Message, fallback.Tool);
                return new Process(fallback);
            }
            return new Device(backend, DeviceSelector.Select(devices, device, kind, backend.Name), kind);
        }
        if (loopback)
            throw new AsrException(AsrErrorKind.InvalidInput, "LoopbackNotSupported",
                $"Loopback capture (what the computer plays) goes through WASAPI, which is Windows-only. {CaptureBackends.LoopbackHint(platform)}");
        return new Process(MicrophoneCapture.Choose(device, isOnPath, platform));
    }

    private static CaptureCommand FallbackTool(string? device, Func<string, bool>? isOnPath, OSPlatform? platform, AsrException why)
    {
        try { return MicrophoneCapture.Choose(device, isOnPath, platform); }
        catch (AsrException e)
        {
            throw new AsrException(AsrErrorKind.InvalidInput, e.ErrorId, $"{why.Message} {e.Message}", why);
        }
    }

    /// <summary>Starts the capture.</summary>
    /// <exception cref="AsrException">The capture cannot start (program not found, device in use or gone).</exception>
    public async Task<ILiveAudioSource> StartAsync(ILogger? log = null, CancellationToken cancellationToken = default) => this switch
    {
        Process p => MicrophoneCapture.Start(p.Command),
        Device d => await DeviceCaptureSource.StartAsync(d.Backend, d.Endpoint, d.Kind, log, cancellationToken).ConfigureAwait(false),
        _ => throw new InvalidOperationException(GetType().Name),
    };
}
