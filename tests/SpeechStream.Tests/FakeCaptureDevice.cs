using SpeechStream.Engine;
using SpeechStream.Engine.Audio;
using SpeechStream.Engine.Audio.Capture;

namespace SpeechStream.Tests;

/// <summary>
/// An audio system for the tests, behind the same seam as WASAPI (<see cref="IAudioCaptureBackend"/>): it lists the
/// devices it is given, records what each open asked for, and delivers what the test pushes on a thread of its own,
/// as a device does. Everything the tests wait on is a TaskCompletionSource, never a clock.
/// </summary>
internal sealed class FakeCaptureBackend : IAudioCaptureBackend
{
    public static readonly AudioDeviceInfo Mic = new("Microphone (Realtek Audio)", AudioDeviceKind.Microphone, true, "{0.0.1.00000000}.{mic-1}");
    public static readonly AudioDeviceInfo Headset = new("Headset Microphone (Jabra Evolve)", AudioDeviceKind.Microphone, false, "{0.0.1.00000000}.{mic-2}");
    public static readonly AudioDeviceInfo Speakers = new("Speakers (Realtek Audio)", AudioDeviceKind.Output, true, "{0.0.0.00000000}.{out-1}");

    public List<AudioDeviceInfo> Devices { get; init; } = new() { Mic, Headset, Speakers };

    /// <summary>The device's own format; what it delivers when asked for none, or when it refuses what was asked.</summary>
    public AudioFormat OwnFormat { get; init; } = MicrophoneCapture.DefaultFormat;

    /// <summary>Refuse any format asked for at start (as WASAPI's AUDCLNT_E_UNSUPPORTED_FORMAT).</summary>
    public bool RefusesRequestedFormat { get; init; }

    /// <summary>Thrown by <see cref="ListDevices"/> when set (an audio system that cannot be reached).</summary>
    public AsrException? Unavailable { get; init; }

    public string Name => "FakeAudio";

    /// <summary>Every open, in order: the device (null = default), the kind and the format asked for.</summary>
    public List<(AudioDeviceInfo? Device, AudioDeviceKind Kind, AudioFormat? Format)> Opens { get; } = new();

    /// <summary>Every stream opened, in order.</summary>
    public List<FakeCaptureStream> Streams { get; } = new();

    /// <summary>Completes with the stream that started delivering.</summary>
    public TaskCompletionSource<FakeCaptureStream> Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<AudioDeviceInfo> ListDevices() => Unavailable is { } e ? throw e : Devices;

    public Task<IAudioCaptureStream> OpenAsync(AudioDeviceInfo? device, AudioDeviceKind kind, AudioFormat? format, CancellationToken cancellationToken)
    {
        Opens.Add((device, kind, format));
        var stream = new FakeCaptureStream(this, format);
        Streams.Add(stream);
        return Task.FromResult<IAudioCaptureStream>(stream);
    }
}

/// <summary>One opened fake device. The test pushes bytes (<see cref="Push"/>, <see cref="PushInPieces"/>) or loses the
/// device (<see cref="Lose"/>); <see cref="Stop"/> reports the stop on the device's thread, as NAudio does.</summary>
internal sealed class FakeCaptureStream(FakeCaptureBackend backend, AudioFormat? asked) : IAudioCaptureStream
{
    private ICaptureSink? _sink;

    public TaskCompletionSource StopRequested { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public TaskCompletionSource Disposed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The format delivered, once started.</summary>
    public AudioFormat? Format { get; private set; }

    public AudioFormat Start(ICaptureSink sink)
    {
        if (asked is not null && backend.RefusesRequestedFormat) throw new CaptureFormatRejectedException(asked);
        _sink = sink;
        Format = asked ?? backend.OwnFormat;
        backend.Started.TrySetResult(this);
        return Format;
    }

    public void Push(ReadOnlySpan<byte> buffer) => _sink!.OnData(buffer);

    /// <summary>Pushes <paramref name="bytes"/> on a thread of its own in irregular pieces (1 to 997 bytes: they split
    /// samples and frames), then completes. Stops early once the device is stopped or disposed.</summary>
    public Task PushInPieces(byte[] bytes, int seed = 1) => Task.Factory.StartNew(() =>
    {
        var random = new Random(seed);
        for (int pos = 0; pos < bytes.Length && !StopRequested.Task.IsCompleted;)
        {
            int n = Math.Min(random.Next(1, 998), bytes.Length - pos);
            Push(bytes.AsSpan(pos, n));
            pos += n;
        }
    }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>The device goes away mid-stream: the audio system reports the stop with <paramref name="error"/>.</summary>
    public void Lose(Exception error) => _sink!.OnStopped(error);

    public void Stop()
    {
        StopRequested.TrySetResult();
        var sink = _sink;
        if (sink is not null) ThreadPool.QueueUserWorkItem(_ => sink.OnStopped(null));
    }

    public void Dispose()
    {
        StopRequested.TrySetResult();
        Disposed.TrySetResult();
    }
}
