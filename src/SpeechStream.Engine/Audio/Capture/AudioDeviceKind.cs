namespace SpeechStream.Engine.Audio.Capture;

/// <summary>What a capture device is: a microphone (an input), or an output whose sound is captured in loopback.</summary>
public enum AudioDeviceKind
{
    /// <summary>An input endpoint: a microphone, a headset, a line in.</summary>
    Microphone,
    /// <summary>A playback endpoint (speakers, headphones): loopback capture records what the computer plays through it.</summary>
    Output,
}
