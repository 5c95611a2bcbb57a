namespace SpeechStream.Engine.Audio.Capture;

/// <summary>The audio system will not deliver the format asked for (WASAPI <c>AUDCLNT_E_UNSUPPORTED_FORMAT</c>).</summary>
internal sealed class CaptureFormatRejectedException(AudioFormat requested, Exception? inner = null)
    : Exception($"The audio system refused to capture {requested}.", inner)
{
    public AudioFormat Requested { get; } = requested;
}
