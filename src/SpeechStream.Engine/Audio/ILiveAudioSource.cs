namespace SpeechStream.Engine.Audio;

/// <summary>Live audio that runs until stopped: a capture process (<see cref="CaptureSource"/>) or a capture device
/// (<see cref="Capture.DeviceCaptureSource"/>). Its reads end (return 0) once it is stopped and what came before was read.</summary>
internal interface ILiveAudioSource : IAudioSource
{
    /// <summary>Stops capturing: reads end after what was already captured. Idempotent; disposing also stops.</summary>
    ValueTask StopAsync();

    /// <summary>What ended the capture on its own, after audio had flowed (a device lost mid-stream); null when it was
    /// stopped, or ended normally. The session is finished with what was captured, then this is thrown.</summary>
    AsrException? Failure { get; }
}
