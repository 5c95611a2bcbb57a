using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SpeechStream.Engine.Audio;
using SpeechStream.Engine.Sessions;
using SpeechStream.Engine.Transcripts;

namespace SpeechStream.Engine.Jobs;

/// <summary>Progress of one file: seconds of audio sent out of the total (null when unknown).</summary>
public sealed record JobProgress(string Source, double SecondsSent, double? TotalSeconds);

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

    /// <summary>Chunk duration in milliseconds (default 100 ms = 3200 bytes at 16 kHz).</summary>
    public int ChunkMilliseconds { get; init; } = 100;

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
        if (request.ChunkMilliseconds is < 10 or > 1000)
            throw new AsrException(AsrErrorKind.InvalidInput, "ChunkSizeInvalid",
                $"Chunk size {request.ChunkMilliseconds} ms is not valid: expected 10 to 1000 ms.");
        var lf = loggerFactory ?? NullLoggerFactory.Instance;
        var log = lf.CreateLogger(typeof(FileTranscriber));
        await using var source = await AudioInput.OpenAsync(request.Path, request.RawFormat, cancellationToken).ConfigureAwait(false);
        log.LogInformation("Reading {Source}: {Format}{Duration}", request.Path, source.Format,
            source.DurationSeconds is double d ? FormattableString.Invariant($", {d:0.00} s") : "");

        var options = WithSource(request.Session, request.Path);
        await using var session = await AsrSession.ConnectAsync(options, lf, null, cancellationToken).ConfigureAwait(false);
        var consumer = Task.Run(async () =>
        {
            await foreach (var t in session.Transcripts.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
                if (t.IsFinal || request.IncludePartials) onTranscript(t);
        }, CancellationToken.None);
        try
        {
            await StreamAsync(source, session, request.Speed, request.ChunkMilliseconds, request.Channels,
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

    private static SessionOptions WithSource(SessionOptions o, string path) => new()
    {
        Provider = o.Provider, Language = o.Language, ApiKey = o.ApiKey, AuthMode = o.AuthMode, Environment = o.Environment,
        Endpoint = o.Endpoint, SampleRate = o.SampleRate, ProviderOptions = o.ProviderOptions, Source = path,
        Channel = o.Channel ?? "mix", DrainTimeout = o.DrainTimeout, ConnectTimeout = o.ConnectTimeout,
        MaxConnectAttempts = o.MaxConnectAttempts, RetryBaseDelay = o.RetryBaseDelay, MaxFrameBytes = o.MaxFrameBytes,
        KeepAliveInterval = o.KeepAliveInterval, ReplayBuffer = o.ReplayBuffer,
    };

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
