namespace SpeechStream.Engine.Audio;

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
