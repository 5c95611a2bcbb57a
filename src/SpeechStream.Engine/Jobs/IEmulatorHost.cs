namespace SpeechStream.Engine.Jobs;

/// <summary>Starts stand-ins for providers (<c>-Emulate</c>, <c>--emulate</c>); implemented by SpeechStream.Emulator.</summary>
public interface IEmulatorHost
{
    /// <param name="audioPath">The file about to be sent (its sidecar transcript is replayed), or null.</param>
    IEmulatorInstance Start(string provider, string? audioPath);
}
