namespace SpeechStream.Engine.Audio.Capture;

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
