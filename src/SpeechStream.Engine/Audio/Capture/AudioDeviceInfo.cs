namespace SpeechStream.Engine.Audio.Capture;

/// <summary>One audio endpoint as the platform's audio system lists it (Windows: an active WASAPI endpoint).</summary>
/// <param name="Name">The friendly name Windows shows, e.g. <c>Microphone (USB Audio Device)</c>; what <c>--device</c> /
/// <c>-Device</c> matches.</param>
/// <param name="Kind">Microphone, or Output (captured in loopback).</param>
/// <param name="IsDefault">The default device of its kind (Windows' "Console" role).</param>
/// <param name="Id">The platform's endpoint id (WASAPI: <c>{0.0.1.00000000}.{guid}</c>), stable across restarts.</param>
public sealed record AudioDeviceInfo(string Name, AudioDeviceKind Kind, bool IsDefault, string Id)
{
    /// <summary><c>Name (Kind)</c>, or <c>Name (Kind, default)</c> for the default device.</summary>
    public override string ToString() => $"{Name} ({Kind}{(IsDefault ? ", default" : "")})";
}
