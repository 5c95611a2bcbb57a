using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SpeechStream.Engine.Audio;
using SpeechStream.Engine.Sessions;
using SpeechStream.Engine.Transcripts;

namespace SpeechStream.Engine.Jobs;

/// <summary>What to listen to and for how long.</summary>
public sealed class MicrophoneRequest
{
    /// <summary>Session settings (provider, language, key…).</summary>
    public required SessionOptions Session { get; init; }
    /// <summary>The capture command; null chooses one for this platform (<see cref="MicrophoneCapture.Choose"/>).</summary>
    public CaptureCommand? Capture { get; init; }
    /// <summary>Device for the chosen tool; ignored with an explicit <see cref="Capture"/>.</summary>
    public string? Device { get; init; }
    /// <summary>Stop after this long; null = until stopped.</summary>
    public TimeSpan? Duration { get; init; }
    /// <summary>Chunk duration in milliseconds; null = the provider's recommendation.</summary>
    public int? ChunkMilliseconds { get; init; }
    public bool IncludePartials { get; init; }
    /// <summary>Called with the capture process id once it runs.</summary>
    public Action<int>? OnCaptureStarted { get; init; }
}

/// <summary>
/// Live microphone transcription: a capture process feeds one session, unpaced (the microphone is the clock),
/// until <see cref="MicrophoneRequest.Duration"/> passes or <c>stop</c> is cancelled — then the capture is
/// killed, the end of stream is sent and the results still owed are drained. Cancelling
/// <c>cancellationToken</c> instead aborts at once. In every case the capture process tree is gone on return.
/// </summary>
public static class MicrophoneTranscriber
{
    /// <param name="stop">Graceful stop (the CLI's first Ctrl+C): finish and drain.</param>
    /// <param name="cancellationToken">Abort (PowerShell's Ctrl+C, a second Ctrl+C).</param>
    /// <exception cref="AsrException">No capture tool, a failing capture command, or the session's errors.</exception>
    public static async Task<SessionSummary> RunAsync(MicrophoneRequest request, Action<Transcript> onTranscript,
        ILoggerFactory? loggerFactory = null, CancellationToken stop = default, CancellationToken cancellationToken = default)
    {
        var lf = loggerFactory ?? NullLoggerFactory.Instance;
        var log = lf.CreateLogger(typeof(MicrophoneTranscriber));
        var command = request.Capture ?? MicrophoneCapture.Choose(request.Device);
        var options = request.Session.With(source: "microphone", channel: request.Session.Channel ?? "mix") with { EmitPartials = request.IncludePartials };
        await using var session = await AsrSession.ConnectAsync(options, lf, null, cancellationToken).ConfigureAwait(false);
        log.LogInformation("Capturing with: {Command}", command);
        await using var capture = MicrophoneCapture.Start(command);
        request.OnCaptureStarted?.Invoke(capture.Process.Id);
        using var graceful = CancellationTokenSource.CreateLinkedTokenSource(stop, cancellationToken);
        if (request.Duration is TimeSpan d) graceful.CancelAfter(d);
        // Stopping kills the capture: the pipe ends and the stream below ends normally, with everything read so far sent.
        using var onStop = graceful.Token.Register(() => _ = capture.StopAsync().AsTask());
        int chunk = request.ChunkMilliseconds ?? Providers.ProviderRegistry.Get(options.Provider).Descriptor.ChunkMilliseconds;
        // On any exit the capture (declared above) is disposed, which kills its process tree.
        return await FileTranscriber.DriveAsync(session, request.IncludePartials, onTranscript, async ct =>
        {
            double seconds = await FileTranscriber.StreamAsync(capture, session, 0, chunk, ChannelSelection.Mix, null, ct).ConfigureAwait(false);
            await capture.StopAsync().ConfigureAwait(false);
            log.LogInformation("Captured {Seconds:0.0} s of audio; waiting for the last results.", seconds);
        }, cancellationToken).ConfigureAwait(false);
    }
}
