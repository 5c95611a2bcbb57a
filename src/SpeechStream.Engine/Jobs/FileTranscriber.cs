using System.Buffers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SpeechStream.Engine.Audio;
using SpeechStream.Engine.Sessions;
using SpeechStream.Engine.Transcripts;

namespace SpeechStream.Engine.Jobs;

/// <summary>
/// One file through one session: opens and checks the audio before connecting, streams it in paced chunks through an
/// <see cref="AsrSession"/>, hands each final (and partial, if asked) to the caller as it arrives, and returns the
/// session summary. <see cref="TranscriptionJob"/> runs one of these per provider and channel.
/// </summary>
public static class FileTranscriber
{
    /// <summary>Transcribes one file.</summary>
    /// <param name="onTranscript">Called for each result, on a background thread, in arrival order.</param>
    /// <param name="onProgress">Called about every 250 ms of wall-clock time while audio is sent.</param>
    /// <returns>The summary, whole or not (<see cref="SessionSummary.IsWhole"/>).</returns>
    /// <exception cref="AsrException">The audio is unreadable (AudioFormat), or the provider refused (the exception
    /// carries the summary); every result received before has already been handed to <paramref name="onTranscript"/>.
    /// A pipe or a decoded file found truncated at its end (<see cref="AudioShortfall"/>) is an AudioFormatException
    /// <c>AudioDataTruncated</c> thrown after the session has transcribed what came, carrying its summary.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the session is closed first.</exception>
    public static async Task<SessionSummary> RunAsync(TranscriptionRequest request, Action<Transcript> onTranscript,
        Action<JobProgress>? onProgress = null, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        int chunkMs = request.ChunkMilliseconds ?? Providers.ProviderRegistry.Get(request.Session.Provider).Descriptor.ChunkMillisecondsAt(request.Speed);
        if (chunkMs is < 10 or > 1000)
            throw new AsrException(AsrErrorKind.InvalidInput, "ChunkSizeInvalid",
                $"Chunk size {chunkMs} ms is not valid: expected 10 to 1000 ms.");
        var lf = loggerFactory ?? NullLoggerFactory.Instance;
        var log = lf.CreateLogger(typeof(FileTranscriber));
        await using var source = await AudioInput.OpenAsync(request.Path, request.RawFormat, cancellationToken, request.StandardInput).ConfigureAwait(false);
        log.LogInformation("Reading {Source}: {Format}{Duration}", request.Path, source.Format,
            source.DurationSeconds is double d ? string.Create(System.Globalization.CultureInfo.CurrentCulture, $", {d:0.00} s") : "");
        if (request.RequireStereo && source.Format.Channels < 2)
            throw new AudioFormatException(request.Path, "SplitNeedsStereo",
                $"it has {source.Format.Channels} channel; -Channel Split / --channels split needs two (e.g. agent left, caller right). Use Mix for a mono file.");

        var options = request.Session.With(source: request.Path, channel: request.Session.Channel ?? "mix") with { EmitPartials = request.IncludePartials, PackReplayAudio = request.Speed > 0 };
        await using var session = await AsrSession.ConnectAsync(options, lf, null, cancellationToken).ConfigureAwait(false);
        try
        {
            double sent = -1;
            var summary = await DriveAsync(session, request.IncludePartials, onTranscript,
                async ct => sent = await StreamAsync(source, session, request.Speed, chunkMs, request.Channels,
                    p => onProgress?.Invoke(p with { Source = request.Path }), ct, request.OnChunkLateness).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
            // A stream without a length (standard input, a FIFO) shows it was empty only at its end.
            if (sent == 0)
                throw new AudioFormatException(source.Name, "AudioEmpty", "it holds no audio (0 samples were read).");
            // A pipe or a decoder shows it was truncated only at its end: refused as a truncated WAV file is, once the
            // audio that did come has been transcribed (those rows are already out; the summary says what is missing).
            if (source.Shortfall is { } gap)
            {
                var truncated = gap.ToException(source.Name);
                truncated.Summary = summary.WithInputLength(gap.DeclaredSeconds);
                throw truncated;
            }
            return summary.WithInputLength(source.DurationSeconds);
        }
        catch (AsrException e) when (e.Summary is { } s)
        {
            e.Summary = s.WithInputLength(source.DurationSeconds); // the verdict is about the file, not only what was sent
            throw;
        }
    }

    /// <summary>
    /// Runs an open session: hands each result (finals, and partials when asked) to <paramref name="onTranscript"/> as
    /// it arrives, runs <paramref name="stream"/> to send the audio, then sends the end of stream and waits for the
    /// provider. On any failure or cancellation the session is closed and every result that already arrived is
    /// handed out before the exception goes on. The file and microphone jobs both run through here.
    /// </summary>
    internal static async Task<SessionSummary> DriveAsync(AsrSession session, bool includePartials, Action<Transcript> onTranscript,
        Func<CancellationToken, Task> stream, CancellationToken cancellationToken)
    {
        var consumer = Task.Run(async () =>
        {
            await foreach (var t in session.Transcripts.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
                if (t.IsFinal || includePartials) onTranscript(t);
        }, CancellationToken.None);
        try
        {
            try
            {
                await stream(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested && session.Completion.IsCompleted)
            {
                // The session ended on its own while audio was still going out (the provider refused, or the reconnects
                // ran out): its own outcome, below, says why; the producer's "session has ended" would not.
            }
            var summary = await session.CompleteAsync(cancellationToken).ConfigureAwait(false);
            await consumer.ConfigureAwait(false);
            return summary;
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            await consumer.ConfigureAwait(false); // every result that arrived is handed out before the error
            throw;
        }
    }

    /// <summary>The sessions a file needs: one per provider, and under <see cref="ChannelMode.Split"/> one per
    /// channel of each (labelled <c>left</c>/<c>right</c>, with the channel as Speaker unless the provider gives one).</summary>
    /// <param name="template">Everything but the provider, channel and session (path, raw format, speed, …).</param>
    public static IReadOnlyList<TranscriptionRequest> Plan(TranscriptionRequest template, IEnumerable<SessionOptions> providers, ChannelMode mode)
    {
        var list = new List<TranscriptionRequest>();
        foreach (var session in providers)
        {
            var sides = mode switch
            {
                ChannelMode.Split => new[] { (ChannelSelection.Left, "left"), (ChannelSelection.Right, "right") },
                ChannelMode.Left => new[] { (ChannelSelection.Left, "left") },
                ChannelMode.Right => new[] { (ChannelSelection.Right, "right") },
                _ => new[] { (ChannelSelection.Mix, "mix") },
            };
            foreach (var (selection, label) in sides)
                list.Add(new TranscriptionRequest
                {
                    Path = template.Path, StandardInput = template.StandardInput, RawFormat = template.RawFormat, Speed = template.Speed, ChunkMilliseconds = template.ChunkMilliseconds,
                    OnChunkLateness = template.OnChunkLateness,
                    IncludePartials = template.IncludePartials, Channels = selection, RequireStereo = mode == ChannelMode.Split,
                    Session = session.With(channel: label, speaker: mode == ChannelMode.Split ? label : null),
                });
        }
        return list;
    }

    /// <summary>Parses mix, left, right or split.</summary>
    /// <exception cref="AsrException">InvalidInput naming the value and the accepted ones.</exception>
    public static ChannelMode ParseChannelMode(string text) =>
        Enum.TryParse<ChannelMode>(text?.Trim(), ignoreCase: true, out var m) && Enum.IsDefined(m) && !int.TryParse(text, out _) ? m
            : throw new AsrException(AsrErrorKind.InvalidInput, "ChannelModeInvalid", $"Channels '{text}' is not valid: expected mix, left, right or split.");

    /// <summary>Streams a source into a session in paced chunks (no end of stream is sent).</summary>
    /// <param name="speed">1 = real time; 0 = unpaced.</param>
    /// <param name="onProgress">Progress, at most every 250 ms.</param>
    /// <returns>Seconds of audio sent.</returns>
    /// <param name="onLateness">Each chunk's lateness against the schedule, in seconds.</param>
    public static async Task<double> StreamAsync(IAudioSource source, AsrSession session, double speed, int chunkMilliseconds,
        ChannelSelection channels, Action<JobProgress>? onProgress, CancellationToken cancellationToken, Action<double>? onLateness = null)
    {
        // Paced: convert a chunk's worth at a time (small buffers for many sessions); unpaced: bulk blocks.
        int block = speed == 0 ? PcmConverter.BulkBlockFrames : (int)Math.Ceiling(source.Format.SampleRate * chunkMilliseconds / 1000.0);
        var converter = new PcmConverter(source, session.SampleRate, channels, block);
        int chunkBytes = session.SampleRate * 2 * chunkMilliseconds / 1000;
        var pacer = new Pacer(TimeSpan.FromMilliseconds(chunkMilliseconds), speed);
        // A chunk is read when it is due, into a buffer from the shared pool, and given back once the session has its
        // copy: a paced session holds no audio while it waits (with thousands of sessions, a chunk buffer each adds up).
        // Near the known end of the source it is read first, so the end of stream is not a chunk's wait late.
        long expected = source.DurationSeconds is double d ? (long)(d * session.SampleRate) * 2 : long.MaxValue;
        long index = 0, bytes = 0;
        double lastReport = -1;
        while (true)
        {
            bool nearEnd = bytes + chunkBytes >= expected;
            double late = nearEnd ? 0 : await pacer.WaitAsync(index, cancellationToken).ConfigureAwait(false);
            var buffer = ArrayPool<byte>.Shared.Rent(chunkBytes);
            try
            {
                int n = await converter.ReadPcm16Async(buffer.AsMemory(0, chunkBytes), cancellationToken).ConfigureAwait(false);
                if (n == 0) break;
                if (nearEnd) late = await pacer.WaitAsync(index, cancellationToken).ConfigureAwait(false);
                else if (!pacer.Unpaced) late = Math.Max(late, pacer.Elapsed - pacer.DueAt(index)); // the read counts
                index++;
                onLateness?.Invoke(late);
                await session.SendAudioAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                bytes += n;
            }
            finally { ArrayPool<byte>.Shared.Return(buffer); }
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
