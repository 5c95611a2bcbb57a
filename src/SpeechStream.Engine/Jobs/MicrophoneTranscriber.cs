using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SpeechStream.Engine.Audio;
using SpeechStream.Engine.Audio.Capture;
using SpeechStream.Engine.Sessions;
using SpeechStream.Engine.Transcripts;

namespace SpeechStream.Engine.Jobs;

/// <summary>
/// Live microphone transcription: a capture device (WASAPI on Windows) or a capture process feeds one session,
/// unpaced (the microphone is the clock), until <see cref="MicrophoneRequest.Duration"/> passes or <c>stop</c> is
/// cancelled — then the capture is stopped, the end of stream is sent and the results still owed are drained. A device
/// lost mid-stream ends the capture the same way, and its error (<c>CaptureDeviceLost</c>, carrying the summary) is
/// thrown once the session finished. Cancelling <c>cancellationToken</c> instead aborts at once. In every case the
/// capture (device, or process tree) is released on return.
/// </summary>
public static class MicrophoneTranscriber
{
    /// <param name="stop">Graceful stop (the CLI's first Ctrl+C): finish and drain.</param>
    /// <param name="cancellationToken">Abort (PowerShell's Ctrl+C, a second Ctrl+C).</param>
    /// <exception cref="AsrException">No capture tool, a device not found (naming it and the available ones), a failing
    /// capture command, a device lost mid-stream (after the session finished), or the session's errors.</exception>
    public static async Task<SessionSummary> RunAsync(MicrophoneRequest request, Action<Transcript> onTranscript,
        ILoggerFactory? loggerFactory = null, CancellationToken stop = default, CancellationToken cancellationToken = default)
    {
        var lf = loggerFactory ?? NullLoggerFactory.Instance;
        var log = lf.CreateLogger(typeof(MicrophoneTranscriber));
        var plan = CapturePlan.Choose(request.Capture, request.Device, request.Loopback, request.Backend, log);
        var options = request.Session.With(source: request.Loopback ? "loopback" : "microphone", channel: request.Session.Channel ?? "mix") with { EmitPartials = request.IncludePartials };
        await using var session = await AsrSession.ConnectAsync(options, lf, null, cancellationToken).ConfigureAwait(false);
        log.LogInformation("Capturing with: {Capture}", plan);
        await using var capture = await plan.StartAsync(log, cancellationToken).ConfigureAwait(false);
        if (capture is CaptureSource process) request.OnCaptureStarted?.Invoke(process.Process.Id);
        request.OnCapture?.Invoke(capture);
        using var graceful = CancellationTokenSource.CreateLinkedTokenSource(stop, cancellationToken);
        if (request.Duration is TimeSpan d) graceful.CancelAfter(d);
        // Stopping ends the capture (kills the process, stops the device): the stream below then ends normally, with
        // everything captured so far sent.
        using var onStop = graceful.Token.Register(() => _ = capture.StopAsync().AsTask());
        int chunk = request.ChunkMilliseconds ?? Providers.ProviderRegistry.Get(options.Provider).Descriptor.ChunkMilliseconds;
        // On any exit the capture (declared above) is disposed: the process tree killed, the device released.
        var summary = await FileTranscriber.DriveAsync(session, request.IncludePartials, onTranscript, async ct =>
        {
            double seconds = await FileTranscriber.StreamAsync(capture, session, 0, chunk, ChannelSelection.Mix, null, ct).ConfigureAwait(false);
            await capture.StopAsync().ConfigureAwait(false);
            log.LogInformation("Captured {Seconds:0.0} s of audio; waiting for the last results.", seconds);
        }, cancellationToken).ConfigureAwait(false);
        if (capture.Failure is { } lost)
        {
            lost.Summary = summary;
            throw lost;
        }
        return summary;
    }
}
