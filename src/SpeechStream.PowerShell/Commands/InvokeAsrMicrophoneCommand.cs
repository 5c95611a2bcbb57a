using SpeechStream.Engine.Providers;
using System.Management.Automation;
using SpeechStream.Engine;
using SpeechStream.Engine.Audio;
using SpeechStream.Engine.Hosting;
using SpeechStream.Engine.Jobs;
using SpeechStream.Engine.Transcripts;

namespace SpeechStream.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Transcribes the microphone and writes each final result as it arrives, until Ctrl+C or -Duration.</para>
/// <para type="description">On Windows audio comes from WASAPI: the default microphone (followed when the user changes
/// it), the device -Device names (its name or a part of it; Get-AsrAudioDevice lists them, and -Device tab-completes
/// them), or with -Loopback what an output plays. Windows is asked for PCM 16-bit 16 kHz mono and converts; a device
/// that will not is captured in its own format and converted by the module's resampler. On Linux and macOS audio
/// comes from a capture tool (arecord, sox or ffmpeg on Linux; sox or ffmpeg on macOS), which is also the fallback on
/// Windows when WASAPI cannot be reached; or, on every OS, from -CaptureCommand, a command that writes PCM s16le
/// 16 kHz mono to its standard output. When -Duration ends, the capture stops and the last results are still
/// written; Ctrl+C stops at once. Neither the device nor a capture process outlives the cmdlet.</para>
/// <para type="notes">Errors: no capture tool, a device not found (CaptureDeviceNotFound, naming the device and
/// listing the available ones), a refused key or a setting the provider refuses are terminating. A device lost
/// mid-stream (CaptureDeviceLost) is terminating after the results of what was captured before. An incomplete
/// transcript writes the non-terminating error TranscriptIncomplete after the results.</para>
/// </summary>
/// <example>
/// <code>Invoke-AsrMicrophone -Provider Voxist -Language en -Duration 60 | ForEach-Object Text</code>
/// <para>A minute of the default microphone through Voxist.</para>
/// </example>
/// <example>
/// <code>Invoke-AsrMicrophone -Provider Voxist -Language en -Device 'USB' -Duration 30</code>
/// <para>Windows: the microphone whose name contains USB (Get-AsrAudioDevice lists them; -Device tab-completes them).</para>
/// </example>
/// <example>
/// <code>Invoke-AsrMicrophone -Loopback -Duration 600 | ConvertTo-AsrSubtitle -Format Srt | Set-Content meeting.srt</code>
/// <para>Windows: subtitles for what the computer plays (a call, a video) through the default output, for 10 minutes.</para>
/// </example>
/// <example>
/// <code>Invoke-AsrMicrophone -Emulate -Duration 5 -CaptureCommand 'ffmpeg -v quiet -i call.wav -f s16le -ar 16000 -ac 1 -'</code>
/// <para>Any program that writes PCM s16le 16 kHz mono can stand in for the microphone (here a file, through ffmpeg).</para>
/// </example>
[Cmdlet(VerbsLifecycle.Invoke, "AsrMicrophone", HelpUri = HelpLinks.Online)]
[OutputType(typeof(Transcript))]
public sealed class InvokeAsrMicrophoneCommand : AsrConnectingCmdletBase
{
    /// <summary>The provider (Voxist when absent); Get-AsrProvider lists them, and the name tab-completes.</summary>
    [Parameter(Position = 0)]
    [ArgumentCompleter(typeof(ProviderNameCompleter))]
    public string Provider { get; set; } = ProviderRegistry.DefaultProvider;

    /// <summary>The capture device. Windows: a WASAPI device name, or a part of it that names one device (tab completion
    /// lists them; with -Loopback, the outputs); default: the default microphone, followed when it changes. Linux and
    /// macOS: the capture tool's device (ALSA device such as hw:1,0, PulseAudio source, avfoundation index).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(AudioDeviceCompleter))]
    public string? Device { get; set; }

    /// <summary>Capture what the computer plays instead of a microphone: WASAPI loopback of the default output, or of the
    /// output -Device names. Windows only. Windows delivers nothing while nothing plays, so those silences are not sent
    /// and Start/End count the sound heard.</summary>
    [Parameter]
    public SwitchParameter Loopback { get; set; }

    /// <summary>Stop after this many seconds (default: until Ctrl+C).</summary>
    [Parameter]
    [ValidateRange(0.1, 86400)]
    public double? Duration { get; set; }

    /// <summary>A command line that writes PCM s16le 16 kHz mono to standard output, run through the shell (/bin/sh,
    /// cmd.exe on Windows) in the current folder.</summary>
    [Parameter]
    public string? CaptureCommand { get; set; }

    /// <summary>Also write partial results.</summary>
    [Parameter]
    public SwitchParameter IncludePartial { get; set; }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        var options = BuildSessionOptions(Provider);
        string here = SessionState.Path.CurrentFileSystemLocation.ProviderPath; // relative paths in -CaptureCommand resolve there
        try
        {
            RunPumped(async (pump, lf, ct) =>
            {
                await using var emulator = StartEmulator(Provider);
                var summary = await MicrophoneTranscriber.RunAsync(new MicrophoneRequest
                {
                    Session = emulator is null ? options : ForEmulator(options, emulator),
                    Capture = CaptureCommand is { Length: > 0 } c ? MicrophoneCapture.FromCommandLine(c) with { WorkingDirectory = here } : null,
                    Device = Device,
                    Loopback = Loopback,
                    Duration = Duration is double d ? TimeSpan.FromSeconds(d) : null,
                    IncludePartials = IncludePartial,
                }, pump.Output, lf, CancellationToken.None, ct).ConfigureAwait(false);
                if (!summary.IsWhole)
                    pump.Post(PumpEventKind.Error, ToErrorRecord(new TranscriptIncompleteException(summary), "microphone"));
            });
        }
        catch (AsrException e)
        {
            ThrowTerminatingError(ToErrorRecord(e, Provider));
        }
        catch (OperationCanceledException) { }
    }
}
