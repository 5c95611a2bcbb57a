using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using SpeechStream.Emulator;
using SpeechStream.Engine;
using SpeechStream.Engine.Audio;
using SpeechStream.Engine.Audio.Capture;
using SpeechStream.Engine.Audio.Capture.Wasapi;
using SpeechStream.Engine.Jobs;
using SpeechStream.Engine.Sessions;
using SpeechStream.Engine.Transcripts;

namespace SpeechStream.Tests;

/// <summary>Live capture from a device (Windows: WASAPI) through the seam, end to end against the Voxist emulator, with
/// <see cref="FakeCaptureBackend"/> standing in for the audio system. No test waits on a clock: they wait on the fake's
/// TaskCompletionSources and on the run itself.</summary>
public class DeviceCaptureTests
{
    /// <summary>Clip 1 as 16 kHz mono PCM s16le: what a device that honours the request delivers.</summary>
    private static readonly byte[] Clip = File.ReadAllBytes(Fixtures.Audio("variant-16k-s16le.raw"));

    private sealed record Run(List<Transcript> Results, SessionSummary? Summary, Exception? Error, ILiveAudioSource? Capture);

    /// <summary>Runs <see cref="MicrophoneTranscriber"/> on <paramref name="backend"/>; once a device starts,
    /// <paramref name="drive"/> plays the device's part (and may stop or cancel the run).</summary>
    private static async Task<Run> Listen(EmulatorServer server, FakeCaptureBackend backend, Func<FakeCaptureStream, Task> drive,
        string? device = null, bool loopback = false, CancellationToken stop = default, CancellationToken cancel = default)
    {
        var results = new ConcurrentQueue<Transcript>();
        ILiveAudioSource? capture = null;
        var run = MicrophoneTranscriber.RunAsync(new MicrophoneRequest
        {
            Session = Harness.Options(server, language: "en"), Backend = backend, Device = device, Loopback = loopback,
            OnCapture = c => capture = c,
        }, results.Enqueue, null, stop, cancel);
        var driving = Task.Run(async () =>
        {
            if (await Task.WhenAny(backend.Started.Task, run) == run) return;
            await drive(await backend.Started.Task);
        });
        SessionSummary? summary = null;
        Exception? error = null;
        try { summary = await run; }
        catch (Exception e) { error = e; }
        await driving;
        return new Run(results.ToList(), summary, error, capture);
    }

    private static byte[] Received(EmulatorServer server) => server.Connections.Single().ReceivedAudio?.ToArray() ?? Array.Empty<byte>();

    [Fact]
    public async Task Buffers_reach_the_session_in_capture_order_with_none_lost_and_a_stop_finishes_the_session()
    {
        await using var server = Harness.Server("Voxist", "librivox-1.wav", o => o.CaptureAudio = true);
        var backend = new FakeCaptureBackend();
        using var stop = new CancellationTokenSource();
        var run = await Listen(server, backend, async device =>
        {
            await device.PushInPieces(Clip);
            stop.Cancel(); // the first Ctrl+C
        }, stop: stop.Token);
        Assert.Null(run.Error);
        Assert.True(run.Summary!.Completed);
        // Asked for 16 kHz mono s16 of the default device, got it: the bytes go through untouched, in order, all of them.
        Assert.Equal((null, AudioDeviceKind.Microphone, MicrophoneCapture.DefaultFormat), Assert.Single(backend.Opens));
        Assert.False(Assert.IsType<DeviceCaptureSource>(run.Capture).ConvertedByUs);
        Assert.Equal(Clip, Received(server));
        Assert.Equal(Fixtures.ReferenceText("librivox-1.wav"), Harness.Joined(run.Results));
        Assert.True(backend.Streams[0].Disposed.Task.IsCompleted, "the device was released");
    }

    [Fact]
    public async Task A_device_that_refuses_16k_mono_is_captured_in_its_own_format_and_converted_by_our_resampler()
    {
        await using var server = Harness.Server("Voxist", "librivox-1.wav", o => o.CaptureAudio = true);
        // Clip 1 as a shared-mode mix format would give it: 44.1 kHz, stereo, 32-bit float.
        var own = new AudioFormat(SampleEncoding.Float32, 44100, 2);
        var backend = new FakeCaptureBackend { RefusesRequestedFormat = true, OwnFormat = own };
        using var stop = new CancellationTokenSource();
        var run = await Listen(server, backend, async device =>
        {
            await device.PushInPieces(WavData(Fixtures.Audio("variant-44k1-stereo-f32.wav")));
            stop.Cancel();
        }, stop: stop.Token);
        Assert.Null(run.Error);
        Assert.Equal(new AudioFormat?[] { MicrophoneCapture.DefaultFormat, null }, backend.Opens.Select(o => o.Format));
        Assert.True(backend.Streams[0].Disposed.Task.IsCompleted, "the refused open was released");
        var capture = Assert.IsType<DeviceCaptureSource>(run.Capture);
        Assert.Equal(own, capture.Format);
        Assert.True(capture.ConvertedByUs);
        // Mixed down and resampled to 16 kHz by PolyphaseResampler: within 40 dB of SoX, lag 0, as for files.
        var received = Received(server);
        var samples = new short[received.Length / 2];
        Buffer.BlockCopy(received, 0, samples, 0, samples.Length * 2);
        Fixtures.AssertMatchesSox(Fixtures.ReadS16(Fixtures.Reference("variant-44k1-stereo-f32.16k.s16le")), samples, "44.1 kHz stereo float device");
        Assert.Equal(Fixtures.ReferenceText("librivox-1.wav"), Harness.Joined(run.Results));
    }

    [Fact]
    public async Task Cancellation_stops_and_releases_the_device_and_ends_the_run()
    {
        await using var server = Harness.Server("Voxist", "librivox-1.wav");
        var backend = new FakeCaptureBackend();
        using var abort = new CancellationTokenSource();
        Task? forever = null;
        var run = await Listen(server, backend, async device =>
        {
            await device.PushInPieces(Clip);
            forever = StreamForever(device);
            abort.Cancel(); // PowerShell's Ctrl+C, or the CLI's second
        }, cancel: abort.Token);
        Assert.IsAssignableFrom<OperationCanceledException>(run.Error);
        var stream = Assert.Single(backend.Streams);
        Assert.True(stream.StopRequested.Task.IsCompleted, "the device was stopped before the run returned");
        Assert.True(stream.Disposed.Task.IsCompleted, "the device was released before the run returned");
        await forever!; // and the device's thread ended with it
    }

    [Fact]
    public async Task A_graceful_stop_of_a_device_that_never_ends_sends_everything_captured_and_finishes_the_session()
    {
        await using var server = Harness.Server("Voxist", "librivox-1.wav");
        var backend = new FakeCaptureBackend();
        using var stop = new CancellationTokenSource();
        Task? forever = null;
        var run = await Listen(server, backend, async device =>
        {
            await device.PushInPieces(Clip);
            forever = StreamForever(device);
            stop.Cancel();
        }, stop: stop.Token);
        Assert.Null(run.Error);
        Assert.True(run.Summary!.Completed);
        var capture = Assert.IsType<DeviceCaptureSource>(run.Capture);
        Assert.Equal(capture.SecondsCaptured * 32000, server.Connections.Single().AudioBytes, 0);
        Assert.Equal(Fixtures.ReferenceText("librivox-1.wav"), Harness.Joined(run.Results));
        Assert.True(backend.Streams[0].Disposed.Task.IsCompleted);
        await forever!;
    }

    [Fact]
    public async Task A_device_that_is_not_there_is_named_with_the_available_ones_before_anything_connects()
    {
        await using var server = Harness.Server("Voxist", "librivox-1.wav");
        var backend = new FakeCaptureBackend();
        var run = await Listen(server, backend, _ => Task.CompletedTask, device: "Webcam");
        var e = Assert.IsType<AsrException>(run.Error);
        Assert.Equal(("CaptureDeviceNotFound", AsrErrorKind.InvalidInput), (e.ErrorId, e.Kind));
        Assert.Contains("'Webcam'", e.Message);
        Assert.Contains("'Microphone (Realtek Audio)' (default)", e.Message);
        Assert.Contains("'Headset Microphone (Jabra Evolve)'", e.Message);
        Assert.DoesNotContain("Speakers", e.Message); // an output is not a microphone
        Assert.Contains("--list-devices", e.Message);
        Assert.Contains("Get-AsrAudioDevice", e.Message);
        Assert.Empty(backend.Opens);
        Assert.Empty(server.Connections);
    }

    [Fact]
    public async Task A_device_lost_mid_stream_finishes_the_session_with_what_was_captured_then_says_so()
    {
        await using var server = Harness.Server("Voxist", "librivox-1.wav");
        var backend = new FakeCaptureBackend();
        var run = await Listen(server, backend, async device =>
        {
            await device.PushInPieces(Clip);
            device.Lose(new COMException("Device invalidated", WasapiErrors.DeviceInvalidated)); // unplugged
        }, device: "jabra");
        var e = Assert.IsType<AsrException>(run.Error);
        Assert.Equal(("CaptureDeviceLost", AsrErrorKind.AudioFormat), (e.ErrorId, e.Kind));
        Assert.Contains("Headset Microphone (Jabra Evolve)", e.Message);
        Assert.Contains("unplugged", e.Message);
        Assert.Contains("AUDCLNT_E_DEVICE_INVALIDATED", e.Message);
        Assert.Contains($"{Clip.Length / 32000.0:0.0} s", e.Message);
        Assert.Equal(FakeCaptureBackend.Headset, backend.Opens.Single().Device);
        // The session was finished first: everything captured was sent, and transcribed.
        Assert.True(e.Summary!.Completed);
        Assert.Equal(Fixtures.ReferenceText("librivox-1.wav"), Harness.Joined(run.Results));
        Assert.True(backend.Streams[0].Disposed.Task.IsCompleted);
    }

    [Fact]
    public async Task A_device_that_fails_before_any_audio_is_CaptureFailed_with_the_reason()
    {
        await using var server = Harness.Server("Voxist", "librivox-1.wav");
        var backend = new FakeCaptureBackend();
        var run = await Listen(server, backend, device =>
        {
            device.Lose(new COMException("Access denied", WasapiErrors.AccessDenied));
            return Task.CompletedTask;
        });
        var e = Assert.IsType<AsrException>(run.Error);
        Assert.Equal("CaptureFailed", e.ErrorId);
        Assert.Contains("microphone (FakeAudio: default device, followed) failed before giving any audio", e.Message);
        Assert.Contains("Privacy & security > Microphone", e.Message);
    }

    [Fact]
    public async Task Loopback_opens_the_named_output()
    {
        await using var server = Harness.Server("Voxist", "librivox-1.wav");
        var backend = new FakeCaptureBackend();
        using var stop = new CancellationTokenSource();
        var run = await Listen(server, backend, async device =>
        {
            await device.PushInPieces(Clip);
            stop.Cancel();
        }, device: "speakers", loopback: true, stop: stop.Token);
        Assert.Null(run.Error);
        Assert.Equal((FakeCaptureBackend.Speakers, AudioDeviceKind.Output), (backend.Opens[0].Device, backend.Opens[0].Kind));
        Assert.StartsWith("loopback (FakeAudio: Speakers", run.Capture!.Name);
        Assert.All(run.Results, t => Assert.Equal("loopback", t.Source));
    }

    /// <summary>Delivers clip 1 again and again, 20 ms at a time at about real time, until the device is stopped.</summary>
    private static Task StreamForever(FakeCaptureStream device) => Task.Run(async () =>
    {
        for (int pos = 0; !device.StopRequested.Task.IsCompleted; pos = (pos + 640) % (Clip.Length - 640))
        {
            device.Push(Clip.AsSpan(pos, 640));
            await Task.WhenAny(device.StopRequested.Task, Task.Delay(20));
        }
    });

    /// <summary>The bytes of a WAV file's data chunk.</summary>
    private static byte[] WavData(string path)
    {
        var b = File.ReadAllBytes(path);
        for (int pos = 12; pos + 8 <= b.Length;)
        {
            int size = BitConverter.ToInt32(b, pos + 4);
            if (b.AsSpan(pos, 4).SequenceEqual("data"u8)) return b.AsSpan(pos + 8, Math.Min(size, b.Length - pos - 8)).ToArray();
            pos += 8 + size + (size & 1);
        }
        throw new InvalidDataException($"{path}: no data chunk");
    }
}
