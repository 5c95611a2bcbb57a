using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using NAudio.CoreAudioApi;
using NAudio.Wave;

namespace SpeechStream.Engine.Audio.Capture.Wasapi;

/// <summary>
/// Windows capture through WASAPI (NAudio.Wasapi 3.3: <see cref="MMDeviceEnumerator"/>, <see cref="WasapiRecorderBuilder"/>).
/// Thin on purpose: it lists the active endpoints and opens one in shared mode, event-driven, 100 ms buffers, asking for
/// the format it is given with <c>AUTOCONVERTPCM | SRC_DEFAULT_QUALITY</c> (Windows converts). No device: the default
/// microphone through automatic stream routing (capture follows the default when the user changes it, Windows 10
/// 1607+), or the default output for loopback. What to open and what its failures mean is decided above the seam
/// (<see cref="DeviceCaptureSource"/>, <see cref="DeviceSelector"/>, <see cref="WasapiErrors"/>). Compiled everywhere,
/// run on Windows only; NAudio.Wasapi's COM is source-generated (<c>[GeneratedComInterface]</c>, ComWrappers), so it
/// also works in the Native AOT CLI.
/// </summary>
[SupportedOSPlatform("windows")]
internal sealed class WasapiBackend : IAudioCaptureBackend
{
    /// <summary>Capture buffer length asked of WASAPI, in ms (NAudio's default).</summary>
    public const int BufferMilliseconds = 100;

    public string Name => "WASAPI";

    /// <inheritdoc/>
    public IReadOnlyList<AudioDeviceInfo> ListDevices()
    {
        try
        {
            using var enumerator = new MMDeviceEnumerator();
            var list = new List<AudioDeviceInfo>();
            Add(enumerator, DataFlow.Capture, AudioDeviceKind.Microphone, list);
            Add(enumerator, DataFlow.Render, AudioDeviceKind.Output, list);
            return list;
        }
        catch (COMException e)
        {
            throw new AsrException(AsrErrorKind.InvalidInput, "CaptureBackendUnavailable", $"Windows audio (WASAPI) cannot list the devices: {WasapiErrors.Describe(e)}.", e);
        }
    }

    /// <summary>Shared mode, event-driven, <see cref="BufferMilliseconds"/>; the format asked for (Windows converts);
    /// loopback for an output; the endpoint, or the default device followed (<paramref name="follow"/>) or not.</summary>
    private static WasapiRecorderBuilder Builder(MMDevice? endpoint, AudioDeviceKind kind, AudioFormat? format, bool follow)
    {
        var builder = new WasapiRecorderBuilder().WithSharedMode().WithEventSync().WithBufferLength(BufferMilliseconds);
        if (format is not null) builder = builder.WithFormat(WaveFormatMapping.ToWaveFormat(format));
        if (kind == AudioDeviceKind.Output) builder = builder.WithLoopbackCapture();
        if (endpoint is not null) builder = builder.WithDevice(endpoint);
        else if (follow) builder = builder.WithDefaultDeviceStreamRouting();
        return builder;
    }

    private static void Add(MMDeviceEnumerator enumerator, DataFlow flow, AudioDeviceKind kind, List<AudioDeviceInfo> list)
    {
        string? defaultId = null;
        if (enumerator.TryGetDefaultAudioEndpoint(flow, Role.Console, out var d) && d is not null)
            using (d) defaultId = d.ID;
        using var devices = enumerator.EnumerateAudioEndPoints(flow, DeviceState.Active);
        foreach (var device in devices)
            using (device) list.Add(new AudioDeviceInfo(device.FriendlyName, kind, device.ID == defaultId, device.ID));
    }

    /// <inheritdoc/>
    public Task<IAudioCaptureStream> OpenAsync(AudioDeviceInfo? device, AudioDeviceKind kind, AudioFormat? format, CancellationToken cancellationToken) =>
        // On the thread pool: NAudio posts RecordingStopped to the SynchronizationContext current when the recorder is
        // built; there is none here, so the stop comes on the capture thread, whatever thread opened the device.
        Task.Run<IAudioCaptureStream>(async () =>
        {
            MMDevice? endpoint = null;
            try
            {
                if (device is not null)
                {
                    using var enumerator = new MMDeviceEnumerator();
                    endpoint = enumerator.GetDevice(device.Id);
                }
                bool follow = endpoint is null && kind == AudioDeviceKind.Microphone;
                WasapiRecorder recorder;
                try { recorder = await Builder(endpoint, kind, format, follow).BuildAsync().ConfigureAwait(false); }
                catch (COMException) when (follow)
                {
                    // Automatic stream routing needs Windows 10 1607: before it, the default device as it is now.
                    recorder = await Builder(null, kind, format, follow: false).BuildAsync().ConfigureAwait(false);
                }
                return new WasapiCaptureStream(recorder, endpoint, format);
            }
            catch (COMException e)
            {
                endpoint?.Dispose();
                throw new AsrException(AsrErrorKind.InvalidInput, "CaptureDeviceUnavailable",
                    $"Cannot open {(device is null ? $"the default {(kind == AudioDeviceKind.Microphone ? "microphone" : "output")}" : $"'{device.Name}'")} through WASAPI: {WasapiErrors.Describe(e)}.", e);
            }
        }, cancellationToken);
}
