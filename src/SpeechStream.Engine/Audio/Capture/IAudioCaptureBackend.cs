namespace SpeechStream.Engine.Audio.Capture;

/// <summary>What a capture device is: a microphone (an input), or an output whose sound is captured in loopback.</summary>
public enum AudioDeviceKind
{
    /// <summary>An input endpoint: a microphone, a headset, a line in.</summary>
    Microphone,
    /// <summary>A playback endpoint (speakers, headphones): loopback capture records what the computer plays through it.</summary>
    Output,
}

/// <summary>One audio endpoint as the platform's audio system lists it (Windows: an active WASAPI endpoint).</summary>
/// <param name="Name">The friendly name Windows shows, e.g. <c>Microphone (USB Audio Device)</c>; what <c>--device</c> /
/// <c>-Device</c> matches.</param>
/// <param name="Kind">Microphone, or Output (captured in loopback).</param>
/// <param name="IsDefault">The default device of its kind (Windows' "Console" role).</param>
/// <param name="Id">The platform's endpoint id (WASAPI: <c>{0.0.1.00000000}.{guid}</c>), stable across restarts.</param>
public sealed record AudioDeviceInfo(string Name, AudioDeviceKind Kind, bool IsDefault, string Id)
{
    public override string ToString() => $"{Name} ({Kind}{(IsDefault ? ", default" : "")})";
}

/// <summary>
/// The seam between the session's audio feed and a platform audio system: it lists devices and opens one for
/// capture. The real one is <see cref="Wasapi.WasapiBackend"/> (Windows, NAudio.Wasapi), kept thin; everything that
/// decides (which device, which format, what a stop or a lost device means) is engine code above this interface, and
/// the tests drive it with a fake device.
/// </summary>
public interface IAudioCaptureBackend
{
    /// <summary>The audio system's name for messages, e.g. <c>WASAPI</c>.</summary>
    string Name { get; }

    /// <summary>The active devices, microphones and outputs.</summary>
    /// <exception cref="AsrException">InvalidInput <c>CaptureBackendUnavailable</c> when the audio system cannot be reached
    /// (e.g. the Windows Audio service is stopped).</exception>
    IReadOnlyList<AudioDeviceInfo> ListDevices();

    /// <summary>Opens a device for capture without starting it.</summary>
    /// <param name="device">The device; null: the default device of <paramref name="kind"/>, followed when the user
    /// changes it (microphones; an output's default is taken once).</param>
    /// <param name="kind">Microphone, or Output for loopback capture.</param>
    /// <param name="format">The format to ask the audio system for (it converts); null: the device's own format.</param>
    /// <exception cref="AsrException">The device cannot be opened (gone since it was listed, no default device).</exception>
    Task<IAudioCaptureStream> OpenAsync(AudioDeviceInfo? device, AudioDeviceKind kind, AudioFormat? format, CancellationToken cancellationToken);
}

/// <summary>An opened capture device. Buffers go to the <see cref="ICaptureSink"/> given to <see cref="Start"/>, on the
/// device's own thread, in capture order.</summary>
public interface IAudioCaptureStream : IDisposable
{
    /// <summary>Starts capturing into <paramref name="sink"/>.</summary>
    /// <returns>The format the buffers are in: the one asked for when the audio system accepted it.</returns>
    /// <exception cref="CaptureFormatRejectedException">The audio system refuses the format asked for: open the device
    /// again without one.</exception>
    /// <exception cref="AsrException">The device cannot be started (in use, gone).</exception>
    AudioFormat Start(ICaptureSink sink);

    /// <summary>Asks the device to stop; <see cref="ICaptureSink.OnStopped"/> follows (null: no error). Idempotent.</summary>
    void Stop();
}

/// <summary>Where a capture device delivers: buffers of whole frames, then one stop.</summary>
public interface ICaptureSink
{
    /// <summary>A buffer of interleaved samples in the started format; only valid during the call.</summary>
    void OnData(ReadOnlySpan<byte> buffer);

    /// <summary>The device stopped: <paramref name="error"/> is null after <see cref="IAudioCaptureStream.Stop"/>, or
    /// what ended it (the device was unplugged or disabled mid-stream).</summary>
    void OnStopped(Exception? error);
}

/// <summary>The audio system will not deliver the format asked for (WASAPI <c>AUDCLNT_E_UNSUPPORTED_FORMAT</c>).</summary>
internal sealed class CaptureFormatRejectedException(AudioFormat requested, Exception? inner = null)
    : Exception($"The audio system refused to capture {requested}.", inner)
{
    public AudioFormat Requested { get; } = requested;
}
