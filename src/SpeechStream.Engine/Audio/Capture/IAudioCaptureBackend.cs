namespace SpeechStream.Engine.Audio.Capture;

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
