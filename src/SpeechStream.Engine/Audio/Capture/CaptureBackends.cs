using System.Runtime.InteropServices;
using SpeechStream.Engine.Audio.Capture.Wasapi;

namespace SpeechStream.Engine.Audio.Capture;

/// <summary>
/// Which audio system captures on this OS (WASAPI on Windows; none elsewhere, where a capture tool runs), and what
/// device listing and loopback say where there is none.
/// </summary>
public static class CaptureBackends
{
    /// <summary>WASAPI on Windows; null on Linux and macOS (capture goes through arecord, sox or ffmpeg).</summary>
    public static IAudioCaptureBackend? ForThisPlatform() => OperatingSystem.IsWindows() ? new WasapiBackend() : null;

    /// <summary>What <c>speechstream listen --list-devices</c> and <c>Get-AsrAudioDevice</c> say off Windows: that WASAPI
    /// is Windows-only, which tool captures instead, and how to list that tool's devices.</summary>
    /// <param name="isOnPath">Which programs exist (tests); default a PATH search.</param>
    /// <param name="platform">The OS (tests); default this one.</param>
    public static string ElsewhereNote(Func<string, bool>? isOnPath = null, OSPlatform? platform = null)
    {
        var os = platform ?? (OperatingSystem.IsMacOS() ? OSPlatform.OSX : OSPlatform.Linux);
        string osName = os == OSPlatform.OSX ? "macOS" : os == OSPlatform.Windows ? "Windows" : "Linux";
        const string head = "WASAPI devices (listing, names, loopback) are Windows-only.";
        CaptureCommand tool;
        try { tool = MicrophoneCapture.Choose("x", isOnPath, os); }
        catch (AsrException e) { return $"{head} On {osName} the microphone is captured through a capture tool, and none is installed: {e.Message}"; }
        string list = (os == OSPlatform.OSX, tool.Tool) switch
        {
            (true, "ffmpeg") => "list its devices with: ffmpeg -f avfoundation -list_devices true -i '' (pass the audio index: --device 1)",
            (true, _) => "it takes a CoreAudio device name as macOS shows it in Audio MIDI Setup (--device 'MacBook Pro Microphone')",
            (false, "ffmpeg") => "it takes a PulseAudio source: list them with: pactl list short sources (--device alsa_input.usb-…)",
            _ => "it takes an ALSA device: list them with: arecord -L (--device hw:1,0 or plughw:1,0)",
        };
        return $"{head} On {osName}, listen and Invoke-AsrMicrophone capture through {tool.Tool} (found on PATH); {list}.";
    }

    /// <summary>How to capture what the computer plays where there is no WASAPI.</summary>
    public static string LoopbackHint(OSPlatform? platform = null) =>
        (platform ?? (OperatingSystem.IsMacOS() ? OSPlatform.OSX : OSPlatform.Linux)) == OSPlatform.OSX
            ? "On macOS, route the output to a virtual input (e.g. BlackHole) and name it with --device."
            : "On Linux, capture PulseAudio's monitor source: --capture-command 'parec -d @DEFAULT_MONITOR@ --format=s16le --rate=16000 --channels=1' (PowerShell: -CaptureCommand).";
}
