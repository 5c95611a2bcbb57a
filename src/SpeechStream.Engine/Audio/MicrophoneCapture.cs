using System.Runtime.InteropServices;

namespace SpeechStream.Engine.Audio;

/// <summary>
/// Chooses a capture tool for this platform: a process that writes PCM s16le mono at 16 kHz to its standard output.
/// It is the path on Linux (<c>arecord</c>, <c>sox -d</c>/<c>rec</c> or <c>ffmpeg -f pulse</c>) and macOS (<c>sox -d</c>
/// or <c>ffmpeg -f avfoundation</c>); on Windows WASAPI is the default (<see cref="Capture.CapturePlan"/>) and these
/// (<c>sox -t waveaudio</c>, <c>ffmpeg -f dshow</c>) are the fallback when WASAPI cannot be reached.
/// </summary>
public static class MicrophoneCapture
{
    /// <summary>What the capture tools are asked for: PCM s16le, 16 kHz, mono.</summary>
    public static readonly AudioFormat DefaultFormat = new(SampleEncoding.PcmS16, 16000, 1);

    /// <summary>The first capture tool found on PATH for this platform.</summary>
    /// <param name="device">A device name for the tool (ALSA device, PulseAudio source, avfoundation index, dshow name); null = default.</param>
    /// <param name="isOnPath">Which programs exist (tests replace it); default: a PATH search.</param>
    /// <exception cref="AsrException">InvalidInput "CaptureToolMissing" saying what to install on this OS, or
    /// "CaptureDeviceRequired" for ffmpeg on Windows without a device.</exception>
    public static CaptureCommand Choose(string? device = null, Func<string, bool>? isOnPath = null, OSPlatform? platform = null)
    {
        isOnPath ??= ChildProcess.IsOnPath;
        var os = platform ?? (OperatingSystem.IsWindows() ? OSPlatform.Windows : OperatingSystem.IsMacOS() ? OSPlatform.OSX : OSPlatform.Linux);
        var f = DefaultFormat;
        string[] soxOut = { "-t", "raw", "-r", "16000", "-e", "signed-integer", "-b", "16", "-c", "1", "-" };
        string[] ffOut = { "-ac", "1", "-ar", "16000", "-f", "s16le", "pipe:1" };
        string[] ffIn = { "-nostdin", "-hide_banner", "-loglevel", "error" };
        if (os == OSPlatform.Linux)
        {
            if (isOnPath("arecord"))
                return new("arecord", "arecord", new[] { "-q", "-t", "raw", "-f", "S16_LE", "-r", "16000", "-c", "1" }.Concat(device is null ? Array.Empty<string>() : new[] { "-D", device }).ToArray(), f);
            if (isOnPath("sox"))
                return new("sox", "sox", (device is null ? new[] { "-q", "-d" } : new[] { "-q", "-t", "alsa", device }).Concat(soxOut).ToArray(), f);
            if (isOnPath("rec") && device is null) return new("rec", "rec", new[] { "-q" }.Concat(soxOut).ToArray(), f);
            if (isOnPath("ffmpeg")) return new("ffmpeg", "ffmpeg", ffIn.Concat(new[] { "-f", "pulse", "-i", device ?? "default" }).Concat(ffOut).ToArray(), f);
            throw Missing("arecord (sudo apt-get install alsa-utils), sox (sudo apt-get install sox) or ffmpeg (sudo apt-get install ffmpeg)");
        }
        if (os == OSPlatform.OSX)
        {
            if (isOnPath("sox")) return new("sox", "sox", (device is null ? new[] { "-q", "-d" } : new[] { "-q", "-t", "coreaudio", device }).Concat(soxOut).ToArray(), f);
            if (isOnPath("rec") && device is null) return new("rec", "rec", new[] { "-q" }.Concat(soxOut).ToArray(), f);
            if (isOnPath("ffmpeg")) return new("ffmpeg", "ffmpeg", ffIn.Concat(new[] { "-f", "avfoundation", "-i", ":" + (device ?? "0") }).Concat(ffOut).ToArray(), f);
            throw Missing("sox (brew install sox) or ffmpeg (brew install ffmpeg)");
        }
        if (isOnPath("sox")) return new("sox", "sox", new[] { "-q", "-t", "waveaudio", device ?? "default" }.Concat(soxOut).ToArray(), f);
        if (isOnPath("ffmpeg"))
        {
            if (device is null)
                throw new AsrException(AsrErrorKind.InvalidInput, "CaptureDeviceRequired",
                    "ffmpeg on Windows needs the microphone's name: pass -Device/--device 'Microphone (…)'. List them with: ffmpeg -list_devices true -f dshow -i dummy");
            return new("ffmpeg", "ffmpeg", ffIn.Concat(new[] { "-f", "dshow", "-i", "audio=" + device }).Concat(ffOut).ToArray(), f);
        }
        throw Missing("sox (winget install sox, or choco install sox.portable) or ffmpeg (winget install ffmpeg)");
    }

    private static AsrException Missing(string what) =>
        new(AsrErrorKind.InvalidInput, "CaptureToolMissing",
            $"No microphone capture tool is on PATH. Install {what}, or pass -CaptureCommand/--capture-command with a program that writes PCM s16le 16 kHz mono to standard output.");

    /// <summary>A user's capture command line, run through the shell (<c>/bin/sh -c</c>, or <c>cmd /c</c> on Windows).</summary>
    /// <param name="format">What the command writes (default PCM s16le 16 kHz mono).</param>
    public static CaptureCommand FromCommandLine(string commandLine, AudioFormat? format = null) =>
        OperatingSystem.IsWindows()
            ? new("shell", "cmd.exe", new[] { "/d", "/c", commandLine }, format ?? DefaultFormat)
            : new("shell", "/bin/sh", new[] { "-c", commandLine }, format ?? DefaultFormat);

    /// <summary>Starts the capture. The source ends when the process does; disposing the source kills the
    /// process and everything it started.</summary>
    /// <exception cref="AsrException">InvalidInput "CaptureStartFailed" when the program cannot be started.</exception>
    internal static CaptureSource Start(CaptureCommand command)
    {
        ChildProcess process;
        try { process = ChildProcess.Start(command.FileName, command.Arguments, workingDirectory: command.WorkingDirectory); }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new AsrException(AsrErrorKind.InvalidInput, "CaptureStartFailed", $"Cannot start the capture command '{command}': {e.Message}", e);
        }
        return new CaptureSource(command, process);
    }
}
