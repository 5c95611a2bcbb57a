using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SpeechStream.Engine.Audio.Capture;

/// <summary>
/// Live audio from a capture device behind an <see cref="IAudioCaptureBackend"/> (Windows: WASAPI). It asks the audio
/// system for <see cref="RequestedFormat"/> (PCM s16le, 16 kHz, mono) and lets it convert; an audio system that refuses
/// gets the device opened again in its own format, and the session's <see cref="PcmConverter"/> mixes and resamples
/// that with our <see cref="PolyphaseResampler"/>. Buffers reach the reader in capture order, none dropped
/// (<see cref="CaptureBuffer"/>); <see cref="StopAsync"/> ends the reads after what was captured; a device lost
/// mid-stream ends them too, and <see cref="Failure"/> says so once they have ended.
/// </summary>
internal sealed class DeviceCaptureSource : ILiveAudioSource
{
    /// <summary>What the audio system is asked for: PCM s16le, 16 kHz, mono (<see cref="MicrophoneCapture.DefaultFormat"/>).</summary>
    public static AudioFormat RequestedFormat => MicrophoneCapture.DefaultFormat;

    /// <summary>How far the session may fall behind the device before the capture is ended (<c>CaptureOverrun</c>).</summary>
    public static readonly TimeSpan MaxBacklog = TimeSpan.FromSeconds(60);

    private readonly IAudioCaptureStream _stream;
    private readonly CaptureBuffer _buffer;
    private readonly RawPcmSource _pcm;
    private int _disposed;

    private DeviceCaptureSource(IAudioCaptureStream stream, CaptureBuffer buffer, AudioFormat format, string name, bool converted)
    {
        _stream = stream;
        _buffer = buffer;
        _pcm = new RawPcmSource(buffer.Reader, format, name);
        ConvertedByUs = converted;
    }

    /// <summary>Opens and starts <paramref name="device"/> (null: the default one of <paramref name="kind"/>).</summary>
    /// <exception cref="AsrException">InvalidInput <c>CaptureFormatUnsupported</c> when the device's own format is one we
    /// cannot decode; the backend's errors (device in use, gone).</exception>
    public static async Task<DeviceCaptureSource> StartAsync(IAudioCaptureBackend backend, AudioDeviceInfo? device, AudioDeviceKind kind,
        ILogger? log = null, CancellationToken cancellationToken = default)
    {
        log ??= NullLogger.Instance;
        string name = kind == AudioDeviceKind.Microphone
            ? $"microphone ({backend.Name}: {device?.Name ?? "default device, followed"})"
            : $"loopback ({backend.Name}: {device?.Name ?? "default output"})";
        var stream = await backend.OpenAsync(device, kind, RequestedFormat, cancellationToken).ConfigureAwait(false);
        var buffer = new CaptureBuffer();
        AudioFormat format;
        try
        {
            format = stream.Start(buffer);
        }
        catch (CaptureFormatRejectedException e)
        {
            stream.Dispose();
            log.LogInformation("{Backend} will not deliver {Requested} from {Name} ({Reason}); capturing in the device's own format.",
                backend.Name, RequestedFormat, name, e.InnerException?.Message ?? e.Message);
            stream = await backend.OpenAsync(device, kind, null, cancellationToken).ConfigureAwait(false);
            buffer = new CaptureBuffer();
            try { format = stream.Start(buffer); }
            catch { stream.Dispose(); throw; }
        }
        catch
        {
            stream.Dispose();
            throw;
        }
        buffer.MaxBacklogBytes = (long)(MaxBacklog.TotalSeconds * format.BytesPerSecond);
        bool converted = format != RequestedFormat;
        log.LogInformation("Capturing the {Name}: asked for {Requested}, getting {Format}{Conversion}.", name, RequestedFormat, format,
            converted ? "; our resampler converts it" : "");
        return new DeviceCaptureSource(stream, buffer, format, name, converted);
    }

    public string Name => _pcm.Name;

    /// <summary>The format the device delivers (the session's converter takes it from here).</summary>
    public AudioFormat Format => _pcm.Format;

    public double? DurationSeconds => null;

    /// <summary>True when the device delivers another format than <see cref="RequestedFormat"/>, so the conversion is ours.</summary>
    public bool ConvertedByUs { get; }

    /// <summary>Seconds of audio the device delivered.</summary>
    public double SecondsCaptured => _buffer.BytesCaptured / (double)Format.BytesPerSecond;

    public ValueTask<int> ReadAsync(Memory<float> destination, CancellationToken cancellationToken = default) =>
        _pcm.ReadAsync(destination, cancellationToken);

    /// <inheritdoc/>
    /// <remarks>A device error becomes <c>CaptureDeviceLost</c> (AudioFormat) naming the device, the seconds captured and
    /// the reason (<see cref="Wasapi.WasapiErrors.Describe"/>), or <c>CaptureFailed</c> when no audio came at all; an
    /// overrun stays <c>CaptureOverrun</c>.</remarks>
    public AsrException? Failure => _buffer.StopError switch
    {
        null => null,
        AsrException a => a,
        var e when _buffer.BytesCaptured == 0 => new AsrException(AsrErrorKind.AudioFormat, "CaptureFailed",
            $"The {Name} failed before giving any audio: {Wasapi.WasapiErrors.Describe(e)}.", e),
        var e => new AsrException(AsrErrorKind.AudioFormat, "CaptureDeviceLost",
            $"The {Name} stopped mid-stream after {SecondsCaptured:0.0} s: {Wasapi.WasapiErrors.Describe(e)}. What was captured before was transcribed.", e),
    };

    /// <summary>Asks the device to stop and ends the reads after what is already captured. Idempotent.</summary>
    public ValueTask StopAsync()
    {
        _stream.Stop();
        _buffer.End();
        return ValueTask.CompletedTask;
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Stops, then releases the device (on the thread pool: releasing may wait for the capture thread).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await StopAsync().ConfigureAwait(false);
        await Task.Run(_stream.Dispose).ConfigureAwait(false);
        _pcm.Dispose();
    }
}
