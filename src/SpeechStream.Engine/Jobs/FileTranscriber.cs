using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SpeechStream.Engine.Audio;
using SpeechStream.Engine.Sessions;
using SpeechStream.Engine.Transcripts;

namespace SpeechStream.Engine.Jobs;

/// <summary>Progress of one file: seconds of audio sent out of the total (null when unknown).</summary>
public sealed record JobProgress(string Source, double SecondsSent, double? TotalSeconds);

/// <summary>How one provider's run of a file ended: a summary, or the error that stopped it.</summary>
public sealed record ProviderOutcome(string Provider, SessionSummary? Summary, Exception? Error);

/// <summary>What to transcribe and how.</summary>
public sealed class TranscriptionRequest
{
    /// <summary>The audio file.</summary>
    public required string Path { get; init; }

    /// <summary>Session settings (provider, language, key, endpoint…). <see cref="SessionOptions.Source"/> is set from <see cref="Path"/>.</summary>
    public required SessionOptions Session { get; init; }

    /// <summary>Declared format for headerless input; null reads a WAV header.</summary>
    public AudioFormat? RawFormat { get; init; }

    /// <summary>1 = real time (default), 2, 4 …; 0 = no pacing ("max").</summary>
    public double Speed { get; init; } = 1;

    /// <summary>Chunk duration in milliseconds; null uses the provider's recommended size (Voxist 100 ms =
    /// 3200 bytes at 16 kHz; Smallest 128 ms = 4096 bytes; Speechall 256 ms = 4096 samples).</summary>
    public int? ChunkMilliseconds { get; init; }

    /// <summary>Channel mix-down or selection.</summary>
    public ChannelSelection Channels { get; init; } = ChannelSelection.Mix;

    /// <summary>Also hand out partial results.</summary>
    public bool IncludePartials { get; init; }
}

/// <summary>
/// The main job: a file in, transcripts out. Opens and checks the audio before connecting, streams it in
/// paced chunks through one <see cref="AsrSession"/>, hands each final (and partial, if asked) to the
/// caller as it arrives, and returns the session summary. The CLI and <c>Invoke-AsrFile</c> both run this.
/// </summary>
public static class FileTranscriber
{
    /// <summary>Transcribes one file.</summary>
    /// <param name="onTranscript">Called for each result, on a background thread, in arrival order.</param>
    /// <param name="onProgress">Called about every 250 ms of wall-clock time while audio is sent.</param>
    /// <exception cref="AsrException">The audio is unreadable (AudioFormat), or the session failed; every
    /// result received before the failure has already been handed to <paramref name="onTranscript"/>.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the session is closed first.</exception>
    public static async Task<SessionSummary> RunAsync(TranscriptionRequest request, Action<Transcript> onTranscript,
        Action<JobProgress>? onProgress = null, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        int chunkMs = request.ChunkMilliseconds ?? Providers.ProviderRegistry.Get(request.Session.Provider).Descriptor.ChunkMilliseconds;
        if (chunkMs is < 10 or > 1000)
            throw new AsrException(AsrErrorKind.InvalidInput, "ChunkSizeInvalid",
                $"Chunk size {chunkMs} ms is not valid: expected 10 to 1000 ms.");
        var lf = loggerFactory ?? NullLoggerFactory.Instance;
        var log = lf.CreateLogger(typeof(FileTranscriber));
        await using var source = await AudioInput.OpenAsync(request.Path, request.RawFormat, cancellationToken).ConfigureAwait(false);
        log.LogInformation("Reading {Source}: {Format}{Duration}", request.Path, source.Format,
            source.DurationSeconds is double d ? FormattableString.Invariant($", {d:0.00} s") : "");

        var options = request.Session.With(source: request.Path, channel: request.Session.Channel ?? "mix");
        await using var session = await AsrSession.ConnectAsync(options, lf, null, cancellationToken).ConfigureAwait(false);
        var consumer = Task.Run(async () =>
        {
            await foreach (var t in session.Transcripts.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
                if (t.IsFinal || request.IncludePartials) onTranscript(t);
        }, CancellationToken.None);
        try
        {
            await StreamAsync(source, session, request.Speed, chunkMs, request.Channels,
                p => onProgress?.Invoke(p with { Source = request.Path }), cancellationToken).ConfigureAwait(false);
            var summary = await session.CompleteAsync(cancellationToken).ConfigureAwait(false);
            await consumer.ConfigureAwait(false);
            if (summary.DrainTimedOut)
                log.LogWarning("{Source}: no completion from {Provider}; audio {Ranges} got no final result.", request.Path,
                    session.Provider, string.Join(", ", summary.Uncovered));
            return summary;
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            await consumer.ConfigureAwait(false); // every result that arrived is handed out before the error
            throw;
        }
    }

    /// <summary>
    /// Streams one file to several providers at once (one session each, same audio), so their transcripts can
    /// be compared side by side: every transcript carries its <see cref="Transcript.Provider"/>. A provider that
    /// fails does not stop the others.
    /// </summary>
    /// <param name="onTranscript">Called for each result, serialised (never two calls at once), in arrival order.</param>
    /// <param name="onProgress">Progress of the first request only (they send the same audio).</param>
    /// <returns>One outcome per request, in request order: a summary, or the error that ended that provider.</returns>
    /// <exception cref="AsrException">AudioFormat when the file cannot be read (it is the same for every provider).</exception>
    /// <exception cref="OperationCanceledException">Cancelled; every session is closed first.</exception>
    public static async Task<IReadOnlyList<ProviderOutcome>> RunEachAsync(IReadOnlyList<TranscriptionRequest> requests,
        Action<Transcript> onTranscript, Action<JobProgress>? onProgress = null, ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default)
    {
        var gate = new object();
        void Serialised(Transcript t) { lock (gate) onTranscript(t); }
        var tasks = requests.Select((r, i) => RunAsync(r, Serialised, i == 0 ? onProgress : null, loggerFactory, cancellationToken)).ToList();
        try { await Task.WhenAll(tasks).ConfigureAwait(false); }
        catch { /* each task's outcome is read below */ }
        cancellationToken.ThrowIfCancellationRequested();
        var outcomes = new List<ProviderOutcome>();
        for (int i = 0; i < tasks.Count; i++)
        {
            var t = tasks[i];
            var err = t.Exception?.InnerException;
            if (err is AudioFormatException) throw err;
            outcomes.Add(new ProviderOutcome(requests[i].Session.Provider, t.IsCompletedSuccessfully ? t.Result : null,
                err ?? (t.IsCanceled ? new OperationCanceledException() : null)));
        }
        return outcomes;
    }

    /// <summary>Streams a source into a session in paced chunks (no end of stream is sent).</summary>
    /// <param name="speed">1 = real time; 0 = unpaced.</param>
    /// <param name="onProgress">Progress, at most every 250 ms.</param>
    /// <returns>Seconds of audio sent.</returns>
    public static async Task<double> StreamAsync(IAudioSource source, AsrSession session, double speed, int chunkMilliseconds,
        ChannelSelection channels, Action<JobProgress>? onProgress, CancellationToken cancellationToken)
    {
        var converter = new PcmConverter(source, session.SampleRate, channels);
        int chunkBytes = session.SampleRate * 2 * chunkMilliseconds / 1000;
        var pacer = new Pacer(TimeSpan.FromMilliseconds(chunkMilliseconds), speed);
        var buffer = new byte[chunkBytes];
        long index = 0, bytes = 0;
        double lastReport = -1;
        while (true)
        {
            int n = await converter.ReadPcm16Async(buffer, cancellationToken).ConfigureAwait(false);
            if (n == 0) break;
            await pacer.WaitAsync(index++, cancellationToken).ConfigureAwait(false);
            await session.SendAudioAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
            bytes += n;
            if (onProgress is not null && pacer.Elapsed - lastReport >= 0.25)
            {
                lastReport = pacer.Elapsed;
                onProgress(new JobProgress(source.Name, bytes / 2.0 / session.SampleRate, source.DurationSeconds));
            }
        }
        double seconds = bytes / 2.0 / session.SampleRate;
        onProgress?.Invoke(new JobProgress(source.Name, seconds, source.DurationSeconds ?? seconds));
        return seconds;
    }
}
