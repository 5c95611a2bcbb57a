using SpeechStream.Cli.Commands;
using SpeechStream.Engine;
using SpeechStream.Engine.Audio.Capture;
using SpeechStream.PowerShell;

namespace SpeechStream.Tests;

/// <summary><c>speechstream listen --list-devices</c> and the cmdlet side of device choice.</summary>
public class DeviceListingTests
{
    [Fact]
    public void The_device_list_shows_microphones_then_outputs_with_the_defaults_starred()
    {
        var (o, e) = (new StringWriter(), new StringWriter());
        Assert.Equal(0, DeviceListing.Write(o, e, new FakeCaptureBackend()));
        Assert.Equal(new[]
        {
            "Microphones (FakeAudio; --device NAME, or a part of it):",
            "* Microphone (Realtek Audio)",
            "  Headset Microphone (Jabra Evolve)",
            "Outputs (FakeAudio loopback; --loopback [--device NAME]):",
            "* Speakers (Realtek Audio)",
        }, o.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.Empty(e.ToString());
    }

    [Fact]
    public void An_audio_system_that_cannot_be_reached_is_an_error_naming_why()
    {
        var (o, e) = (new StringWriter(), new StringWriter());
        var down = new FakeCaptureBackend { Unavailable = new AsrException(AsrErrorKind.InvalidInput, "CaptureBackendUnavailable", "Windows audio (WASAPI) cannot list the devices: the Windows Audio service is not running (AUDCLNT_E_SERVICE_NOT_RUNNING).") };
        Assert.Equal(2, DeviceListing.Write(o, e, down));
        Assert.Empty(o.ToString());
        Assert.Contains("AUDCLNT_E_SERVICE_NOT_RUNNING", e.ToString());
    }

    [NotOnWindowsFact]
    public async Task Off_Windows_list_devices_says_plainly_that_WASAPI_is_Windows_only_and_what_captures_instead()
    {
        var (code, stdout, stderr) = await CliTests.Run("listen", "--list-devices");
        Assert.Equal(0, code);
        Assert.Empty(stdout);
        Assert.Contains("WASAPI devices (listing, names, loopback) are Windows-only", stderr);
        Assert.Contains(CaptureBackends.ElsewhereNote(), stderr);
    }

    [NotOnWindowsFact]
    public async Task Off_Windows_loopback_is_refused_before_anything_connects()
    {
        var (code, _, stderr) = await CliTests.Run("listen", "--emulate", "--loopback", "--duration", "1");
        Assert.Equal(2, code);
        Assert.Contains("Loopback capture (what the computer plays) goes through WASAPI, which is Windows-only", stderr);
    }

    [NotOnWindowsFact]
    public void Device_completion_offers_nothing_off_Windows()
    {
        Assert.Empty(new AudioDeviceCompleter().CompleteArgument("Invoke-AsrMicrophone", "Device", "", null!, new System.Collections.Hashtable()));
    }
}
