namespace SpeechStream.Engine.Audio.Capture;

/// <summary>Where a capture device delivers: buffers of whole frames, then one stop.</summary>
public interface ICaptureSink
{
    /// <summary>A buffer of interleaved samples in the started format; only valid during the call.</summary>
    void OnData(ReadOnlySpan<byte> buffer);

    /// <summary>The device stopped: <paramref name="error"/> is null after <see cref="IAudioCaptureStream.Stop"/>, or
    /// what ended it (the device was unplugged or disabled mid-stream).</summary>
    void OnStopped(Exception? error);
}
