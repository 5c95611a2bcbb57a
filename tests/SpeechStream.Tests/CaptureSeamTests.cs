using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using NAudio.Wave;
using SpeechStream.Engine;
using SpeechStream.Engine.Audio;
using SpeechStream.Engine.Audio.Capture;
using SpeechStream.Engine.Audio.Capture.Wasapi;

namespace SpeechStream.Tests;

/// <summary>The parts above the capture seam, one at a time: the hand-off buffer, device choice, format mapping, what
/// WASAPI's errors say, which capture runs on which OS, and what device listing says off Windows.</summary>
public class CaptureSeamTests
{
    private static readonly IReadOnlyList<AudioDeviceInfo> Devices = new FakeCaptureBackend().Devices;

    [Fact]
    public async Task The_capture_buffer_hands_out_every_byte_in_order_across_irregular_reads_and_ends_after_the_stop()
    {
        var buffer = new CaptureBuffer();
        ICaptureSink sink = buffer;
        var sent = new byte[200_003];
        new Random(7).NextBytes(sent);
        var writer = Task.Factory.StartNew(() =>
        {
            var r = new Random(3);
            for (int pos = 0; pos < sent.Length;)
            {
                int n = Math.Min(r.Next(1, 700), sent.Length - pos);
                sink.OnData(sent.AsSpan(pos, n));
                pos += n;
            }
            sink.OnStopped(null);
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var received = new MemoryStream();
        var read = new byte[1000];
        var sizes = new Random(5);
        int got;
        while ((got = await buffer.Reader.ReadAsync(read.AsMemory(0, sizes.Next(1, read.Length)))) > 0) received.Write(read, 0, got);
        await writer;
        Assert.Equal(sent, received.ToArray());
        Assert.Null(buffer.StopError);
        Assert.Equal(sent.Length, buffer.BytesCaptured);
        sink.OnData(new byte[10]); // after the stop: ignored
        Assert.Equal(0, await buffer.Reader.ReadAsync(read));
    }

    [Fact]
    public async Task A_capture_the_session_cannot_keep_up_with_ends_as_an_overrun_instead_of_dropping_audio()
    {
        var buffer = new CaptureBuffer(maxBacklogBytes: 1000);
        ICaptureSink sink = buffer;
        sink.OnData(new byte[600]);
        sink.OnData(new byte[600]); // 1200 behind: over the bound
        sink.OnData(new byte[10]);
        var read = new byte[2000];
        Assert.Equal(600, await buffer.Reader.ReadAsync(read));
        Assert.Equal(0, await buffer.Reader.ReadAsync(read));
        Assert.Equal("CaptureOverrun", Assert.IsType<AsrException>(buffer.StopError).ErrorId);
        Assert.True(buffer.Stopped.IsCompleted);
    }

    [Theory]
    [InlineData(null, null)]                                      // the default device, followed
    [InlineData("microphone (realtek audio)", "{0.0.1.00000000}.{mic-1}")] // the whole name, any case
    [InlineData("{0.0.1.00000000}.{mic-2}", "{0.0.1.00000000}.{mic-2}")]   // the endpoint id
    [InlineData("Jabra", "{0.0.1.00000000}.{mic-2}")]             // a part that names one device
    public void A_device_is_chosen_by_its_name_a_part_of_it_or_its_id(string? name, string? id) =>
        Assert.Equal(id, DeviceSelector.Select(Devices, name, AudioDeviceKind.Microphone, "WASAPI")?.Id);

    [Theory]
    [InlineData("Microphone", AudioDeviceKind.Microphone, "CaptureDeviceAmbiguous", "'Microphone' matches 2 WASAPI microphones")]
    [InlineData("Speakers", AudioDeviceKind.Microphone, "CaptureDeviceWrongKind", "add --loopback (PowerShell: -Loopback)")]
    [InlineData("Jabra", AudioDeviceKind.Output, "CaptureDeviceWrongKind", "drop --loopback")]
    [InlineData("Webcam", AudioDeviceKind.Output, "CaptureDeviceNotFound", "No WASAPI output device is named 'Webcam'. Available: 'Speakers (Realtek Audio)' (default).")]
    public void A_device_name_that_does_not_name_one_device_says_what_it_matched(string name, AudioDeviceKind kind, string errorId, string text)
    {
        var e = Assert.Throws<AsrException>(() => DeviceSelector.Select(Devices, name, kind, "WASAPI"));
        Assert.Equal((errorId, AsrErrorKind.InvalidInput), (e.ErrorId, e.Kind));
        Assert.Contains(text, e.Message);
    }

    [Fact]
    public void No_active_microphone_is_said_plainly_even_without_a_name()
    {
        var outputsOnly = Devices.Where(d => d.Kind == AudioDeviceKind.Output).ToList();
        var e = Assert.Throws<AsrException>(() => DeviceSelector.Select(outputsOnly, null, AudioDeviceKind.Microphone, "WASAPI"));
        Assert.Equal("CaptureDeviceNotFound", e.ErrorId);
        Assert.Contains("WASAPI lists no active microphone", e.Message);
        Assert.Contains("Sound settings", e.Message);
    }

    [Fact]
    public void What_we_ask_WASAPI_for_and_what_its_formats_map_to()
    {
        // Asked: PCM 16-bit, 16 kHz, mono (a plain WAVEFORMATEX; Windows converts with AUTOCONVERTPCM).
        var asked = WaveFormatMapping.ToWaveFormat(DeviceCaptureSource.RequestedFormat);
        Assert.Equal((WaveFormatEncoding.Pcm, 16000, 16, 1, 2), (asked.Encoding, asked.SampleRate, asked.BitsPerSample, asked.Channels, asked.BlockAlign));
        Assert.Equal(DeviceCaptureSource.RequestedFormat, WaveFormatMapping.ToAudioFormat(asked));
        // A typical shared-mode mix format: WAVE_FORMAT_EXTENSIBLE, 48 kHz, stereo, 32-bit float.
        Assert.Equal(new AudioFormat(SampleEncoding.Float32, 48000, 2), WaveFormatMapping.ToAudioFormat(new WaveFormatExtensible(48000, 32, 2, useIeeeFloat: true, 32, 3)));
        Assert.Equal(new AudioFormat(SampleEncoding.Float32, 44100, 1), WaveFormatMapping.ToAudioFormat(WaveFormat.CreateIeeeFloatWaveFormat(44100, 1)));
        // 24-bit samples in 32-bit containers read as s32 (left-justified); 24-bit packed as s24.
        Assert.Equal(new AudioFormat(SampleEncoding.PcmS32, 48000, 2),
            WaveFormatMapping.ToAudioFormat(new WaveFormatExtensible(48000, 32, 2, AudioMediaSubtypes.MEDIASUBTYPE_PCM, 24, 3)));
        Assert.Equal(new AudioFormat(SampleEncoding.PcmS24, 96000, 1), WaveFormatMapping.ToAudioFormat(new WaveFormat(96000, 24, 1)));
        // Nothing we can decode: refused by name at start.
        Assert.Null(WaveFormatMapping.ToAudioFormat(WaveFormat.CreateCustomFormat(WaveFormatEncoding.Adpcm, 8000, 1, 4096, 256, 4)));
    }

    [Theory]
    [InlineData(WasapiErrors.DeviceInvalidated, "unplugged or disabled")]
    [InlineData(WasapiErrors.DeviceInUse, "exclusive mode")]
    [InlineData(WasapiErrors.ServiceNotRunning, "Windows Audio service is not running")]
    [InlineData(WasapiErrors.AccessDenied, "Privacy & security > Microphone")]
    [InlineData(unchecked((int)0x88890099), "0x88890099")]
    public void WASAPI_failures_are_said_with_their_cause_and_fix(int hresult, string text) =>
        Assert.Contains(text, WasapiErrors.Describe(new COMException("Exception from HRESULT", hresult)));

    [Fact]
    public void The_capture_is_WASAPI_where_there_is_a_backend_else_a_tool_or_the_users_command()
    {
        var backend = new FakeCaptureBackend();
        var device = Assert.IsType<CapturePlan.Device>(CapturePlan.Choose(null, "jabra", false, backend));
        Assert.Equal((FakeCaptureBackend.Headset, AudioDeviceKind.Microphone), (device.Endpoint, device.Kind));
        Assert.Equal(AudioDeviceKind.Output, Assert.IsType<CapturePlan.Device>(CapturePlan.Choose(null, null, true, backend)).Kind);
        var command = MicrophoneCapture.FromCommandLine("sox -d -t raw -");
        Assert.Same(command, Assert.IsType<CapturePlan.Process>(CapturePlan.Choose(command, "jabra", false, backend)).Command);
        Assert.Equal("LoopbackNotSupported", Assert.Throws<AsrException>(() => CapturePlan.Choose(command, null, true, backend)).ErrorId);
        // Linux and macOS: no backend (ForThisPlatform is null there), the capture tool takes the device as it is.
        if (!OperatingSystem.IsWindows())
        {
            var tool = Assert.IsType<CapturePlan.Process>(CapturePlan.Choose(null, "hw:1,0", false, null, null, p => p == "arecord", OSPlatform.Linux));
            Assert.Contains("hw:1,0", tool.Command.Arguments);
            var loop = Assert.Throws<AsrException>(() => CapturePlan.Choose(null, null, true, null, null, _ => true, OSPlatform.Linux));
            Assert.Equal("LoopbackNotSupported", loop.ErrorId);
            Assert.Contains("Windows-only", loop.Message);
            Assert.Contains("@DEFAULT_MONITOR@", loop.Message);
        }
    }

    [Fact]
    public void When_WASAPI_cannot_be_reached_a_capture_tool_takes_over_with_a_warning_or_both_reasons_are_said()
    {
        var down = new FakeCaptureBackend { Unavailable = new AsrException(AsrErrorKind.InvalidInput, "CaptureBackendUnavailable", "Windows audio (WASAPI) cannot list the devices: the Windows Audio service is not running.") };
        var log = new ListLogger();
        var plan = Assert.IsType<CapturePlan.Process>(CapturePlan.Choose(null, "Mic (USB)", false, down, log, p => p == "ffmpeg", OSPlatform.Windows));
        Assert.Contains("audio=Mic (USB)", plan.Command.Arguments);
        Assert.Contains(log.Lines, l => l.Contains("not running") && l.Contains("through ffmpeg instead"));
        var none = Assert.Throws<AsrException>(() => CapturePlan.Choose(null, null, false, down, null, _ => false, OSPlatform.Windows));
        Assert.Equal("CaptureToolMissing", none.ErrorId);
        Assert.Contains("not running", none.Message);
        Assert.Contains("winget install", none.Message);
    }

    [Theory]
    [InlineData("LINUX", "arecord", "arecord -L")]
    [InlineData("LINUX", "ffmpeg", "pactl list short sources")]
    [InlineData("OSX", "sox", "Audio MIDI Setup")]
    [InlineData("OSX", "ffmpeg", "-list_devices true")]
    [InlineData("LINUX", "", "none is installed")]
    public void Off_Windows_device_listing_says_WASAPI_is_Windows_only_and_what_captures_instead(string os, string tool, string hint)
    {
        string note = CaptureBackends.ElsewhereNote(p => p == tool, OSPlatform.Create(os));
        Assert.StartsWith("WASAPI devices (listing, names, loopback) are Windows-only.", note);
        Assert.Contains(hint, note);
    }

    /// <summary>Collects log lines (for the fallback's warning).</summary>
    private sealed class ListLogger : ILogger
    {
        public List<string> Lines { get; } = new();
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add(formatter(state, exception));
    }
}
