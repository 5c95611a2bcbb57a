using SpeechStream.Engine;
using SpeechStream.Engine.Audio.Capture;

namespace SpeechStream.Cli.Commands;

/// <summary><c>speechstream listen --list-devices</c>: the audio system's microphones, then its outputs (loopback), one
/// name a line, <c>*</c> before the default; off Windows, a note on stderr saying WASAPI is Windows-only and what
/// captures instead.</summary>
internal static class DeviceListing
{
    /// <param name="backend">The platform's audio system (<see cref="CaptureBackends.ForThisPlatform"/>); null off Windows.</param>
    /// <returns>The exit code: 0, or 2 when the audio system cannot be reached (its error on stderr).</returns>
    public static int Write(TextWriter output, TextWriter error, IAudioCaptureBackend? backend)
    {
        if (backend is null)
        {
            error.WriteLine("speechstream: " + CaptureBackends.ElsewhereNote());
            return ExitCodes.Ok;
        }
        IReadOnlyList<AudioDeviceInfo> devices;
        try { devices = backend.ListDevices(); }
        catch (AsrException e)
        {
            error.WriteLine("speechstream: " + e.Message);
            return ExitCodes.For(e);
        }
        Section(output, devices, AudioDeviceKind.Microphone, $"Microphones ({backend.Name}; --device NAME, or a part of it):");
        Section(output, devices, AudioDeviceKind.Output, $"Outputs ({backend.Name} loopback; --loopback [--device NAME]):");
        output.Flush();
        return ExitCodes.Ok;
    }

    private static void Section(TextWriter output, IReadOnlyList<AudioDeviceInfo> devices, AudioDeviceKind kind, string title)
    {
        output.WriteLine(title);
        var ofKind = devices.Where(d => d.Kind == kind).ToList();
        if (ofKind.Count == 0) output.WriteLine("  (none active)");
        foreach (var d in ofKind) output.WriteLine($"{(d.IsDefault ? "*" : " ")} {d.Name}");
    }
}
