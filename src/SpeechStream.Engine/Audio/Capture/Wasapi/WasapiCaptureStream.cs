using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using NAudio.CoreAudioApi;
using NAudio.Wave;

namespace SpeechStream.Engine.Audio.Capture.Wasapi;

/// <summary>One <see cref="WasapiRecorder"/> behind <see cref="IAudioCaptureStream"/>: its <c>DataAvailable</c> spans go
/// to the sink as they come (on NAudio's capture thread), its <c>RecordingStopped</c> (with the error that ended it, if
/// any) ends the sink, and a format WASAPI refuses at start becomes <see cref="CaptureFormatRejectedException"/>.</summary>
[SupportedOSPlatform("windows")]
internal sealed class WasapiCaptureStream(WasapiRecorder recorder, MMDevice? endpoint, AudioFormat? requested) : IAudioCaptureStream
{
    private ICaptureSink? _sink;

    public AudioFormat Start(ICaptureSink sink)
    {
        var format = WaveFormatMapping.ToAudioFormat(recorder.WaveFormat)
            ?? throw new AsrException(AsrErrorKind.InvalidInput, "CaptureFormatUnsupported",
                $"WASAPI delivers '{recorder.DeviceFriendlyName ?? "the default device"}' as {recorder.WaveFormat}, which SpeechStream cannot decode; expected PCM 8/16/24/32-bit or IEEE float 32/64-bit.");
        _sink = sink;
        recorder.DataAvailable += OnData;
        recorder.RecordingStopped += OnStopped;
        try
        {
            recorder.StartRecording();
        }
        catch (COMException e) when (requested is not null && e.HResult is WasapiErrors.UnsupportedFormat or WasapiErrors.InvalidArgument)
        {
            throw new CaptureFormatRejectedException(requested, e);
        }
        catch (COMException e)
        {
            throw new AsrException(AsrErrorKind.InvalidInput, "CaptureDeviceUnavailable",
                $"Cannot start '{recorder.DeviceFriendlyName ?? "the default device"}' through WASAPI: {WasapiErrors.Describe(e)}.", e);
        }
        return format;
    }

    private void OnData(ReadOnlySpan<byte> buffer, AudioClientBufferFlags flags, long devicePosition, long qpcPosition) => _sink?.OnData(buffer);

    private void OnStopped(object? sender, StoppedEventArgs e) => _sink?.OnStopped(e.Exception);

    public void Stop() => recorder.StopRecording();

    public void Dispose()
    {
        recorder.DataAvailable -= OnData;
        recorder.RecordingStopped -= OnStopped;
        recorder.Dispose();
        endpoint?.Dispose();
    }
}
