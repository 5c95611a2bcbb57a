using System.Runtime.InteropServices;

namespace SpeechStream.Engine.Audio;

/// <summary>A program that writes microphone audio to its standard output, and the raw format it writes.</summary>
/// <param name="Tool">Which tool it is (arecord, sox, ffmpeg, shell), for messages.</param>
public sealed record CaptureCommand(string Tool, string FileName, IReadOnlyList<string> Arguments, AudioFormat Format)
{
    /// <summary>The folder the command runs in (relative paths in it resolve there); null: this process's.</summary>
    public string? WorkingDirectory { get; init; }

    public override string ToString() => $"{FileName} {string.Join(' ', Arguments)}";
}

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

/// <summary>Live audio from a capture process: raw PCM read from its standard output as it comes.</summary>
internal sealed class CaptureSource : ILiveAudioSource
{
    private readonly RawPcmSource _pcm;

    internal CaptureSource(CaptureCommand command, ChildProcess process)
    {
        Command = command;
        Process = process;
        _pcm = new RawPcmSource(process.Output, command.Format, $"microphone ({command.Tool})", leaveOpen: true);
    }

    public CaptureCommand Command { get; }

    /// <summary>The capture process (its id lets tests check that nothing outlives the capture).</summary>
    public ChildProcess Process { get; }

    public string Name => _pcm.Name;
    public AudioFormat Format => _pcm.Format;
    public double? DurationSeconds => null;

    /// <exception cref="AsrException">InvalidInput "CaptureFailed" when the tool exits with an error before giving any audio.</exception>
    public async ValueTask<int> ReadAsync(Memory<float> destination, CancellationToken cancellationToken = default)
    {
        int n = await _pcm.ReadAsync(destination, cancellationToken).ConfigureAwait(false);
        if (n == 0 && !_stopped && SamplesRead == 0)
        {
            try { await Process.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false); }
            catch (TimeoutException) { }
            if (Process.HasExited && Process.ExitCode != 0)
                throw new AsrException(AsrErrorKind.InvalidInput, "CaptureFailed",
                    $"The capture command '{Command}' failed (exit code {Process.ExitCode}) before giving any audio: {CaptureErrors.Summarize(Process.ErrorTail)}");
        }
        SamplesRead += n;
        return n;
    }

    private volatile bool _stopped;

    /// <summary>Always null: a tool that fails before any audio throws from <see cref="ReadAsync"/>, and one that exits
    /// later simply ends the stream.</summary>
    public AsrException? Failure => null;

    /// <summary>Samples read so far.</summary>
    public long SamplesRead { get; private set; }

    /// <summary>Stops capturing: kills the process tree, so reads end at once. Idempotent.</summary>
    public ValueTask StopAsync()
    {
        _stopped = true;
        return Process.DisposeAsync();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _pcm.Dispose();
    }
}
