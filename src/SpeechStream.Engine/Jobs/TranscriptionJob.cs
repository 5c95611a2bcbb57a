using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SpeechStream.Engine.Audio;
using SpeechStream.Engine.Providers;
using SpeechStream.Engine.Sessions;
using SpeechStream.Engine.Transcripts;

namespace SpeechStream.Engine.Jobs;

/// <summary>
/// The main job, the one the <c>speechstream transcribe</c> command and <c>Invoke-AsrFile</c> both run: for each
/// file, one session per provider (and per channel under Split), the same audio to each at once, every result handed
/// to the sink as it arrives (merged in time order under Split), and an outcome per file with its verdict. A provider
/// that fails does not stop the others; a typed parameter (model, diarization, …) goes to the providers that support
/// it, and with several providers the others are told so in the log instead of failing.
/// </summary>
public sealed class TranscriptionJob
{
    /// <summary>Provider names, as registered (<see cref="ProviderRegistry"/>).</summary>
    public required IReadOnlyList<string> Providers { get; init; }

    /// <summary>Session settings for every provider (its <see cref="SessionOptions.Provider"/> is replaced).</summary>
    public required SessionOptions Session { get; init; }

    /// <summary>Which channels go to the providers (default: the mix).</summary>
    public ChannelMode Channels { get; init; } = ChannelMode.Mix;

    /// <summary>1 = real time, 2, 4 …; 0 = as fast as the socket allows.</summary>
    public double Speed { get; init; } = 1;

    /// <summary>Declared format of headerless input; null reads the file's header.</summary>
    public AudioFormat? RawFormat { get; init; }

    /// <summary>Chunk size in ms; null: each provider's recommendation.</summary>
    public int? ChunkMilliseconds { get; init; }

    /// <summary>Also hand out partial results.</summary>
    public bool IncludePartials { get; init; }

    /// <summary>What "-" reads (standard input by default).</summary>
    public Stream? StandardInput { get; init; }

    /// <summary>Run against stand-ins instead of the providers (the built-in emulators); null: the real endpoints.</summary>
    public IEmulatorHost? Emulators { get; init; }

    /// <summary>Each chunk's lateness against its pacing schedule, in seconds (for load measurements).</summary>
    public Action<double>? OnChunkLateness { get; init; }

    /// <summary>Transcribes one input with every provider.</summary>
    /// <param name="sink">Receives each result, one call at a time, in arrival order (time order under Split).</param>
    /// <param name="progress">Audio sent of the first session, about every 250 ms.</param>
    /// <returns>The outcome; unreadable input is an outcome too (<see cref="FileOutcome.InputError"/>), not an exception.</returns>
    /// <exception cref="OperationCanceledException">Cancelled; every session was closed first and every result that
    /// arrived was handed to the sink.</exception>
    /// <exception cref="AsrException">InvalidInput for settings that fit no provider (an unknown option …).</exception>
    public async Task<FileOutcome> RunFileAsync(string path, Action<Transcript> sink, Action<JobProgress>? progress = null,
        ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        var lf = loggerFactory ?? NullLoggerFactory.Instance;
        var log = lf.CreateLogger<TranscriptionJob>();
        if (Providers.Count == 0) throw new AsrException(AsrErrorKind.InvalidInput, "ProviderMissing", "No provider was given.");
        var emulators = new List<IEmulatorInstance>();
        try
        {
            var sessions = new List<SessionOptions>();
            foreach (var name in Providers)
            {
                var session = ForProvider(name, log) with { NotesShown = _notesShown };
                if (Emulators is not null)
                {
                    var emulator = Emulators.Start(name, path == AudioInput.StandardInput ? null : path);
                    emulators.Add(emulator);
                    log.LogInformation("Emulating {Provider} at {Endpoint}.", name, emulator.Endpoint);
                    session = session.With(endpoint: emulator.Endpoint, apiKey: emulator.ApiKey);
                }
                sessions.Add(session);
            }
            var requests = FileTranscriber.Plan(new TranscriptionRequest
            {
                Path = path, StandardInput = StandardInput, RawFormat = RawFormat, Speed = Speed, ChunkMilliseconds = ChunkMilliseconds,
                IncludePartials = IncludePartials, OnChunkLateness = OnChunkLateness, Session = Session,
            }, sessions, Channels);
            var outcomes = await RunEachAsync(requests, sink, progress, lf, cancellationToken).ConfigureAwait(false);
            return new FileOutcome(path, outcomes) { EmulatorViolations = emulators.SelectMany(e => e.Violations).ToList() };
        }
        catch (AsrException e) when (e.Kind == AsrErrorKind.AudioFormat)
        {
            return new FileOutcome(path, Array.Empty<ProviderOutcome>(), e);
        }
        finally
        {
            foreach (var e in emulators) await e.DisposeAsync().ConfigureAwait(false);
        }
    }

    private volatile bool _notesShown; // Validate showed the notes: the sessions do not log them again

    /// <summary>
    /// Checks every provider's settings before anything connects (README: "every value is checked before anything
    /// connects"): key (unless emulated), auth mode, sample rate, language, endpoint, options, typed parameters and model,
    /// as each session will see them (<see cref="ForProvider"/>). Call it once before the first file.
    /// </summary>
    /// <returns>Notes for the Verbose stream: a language or model outside a provider's open list, sent as given.</returns>
    /// <exception cref="AsrException">InvalidInput naming the provider, the value and what was expected (e.g.
    /// LanguageUnsupported with the nearest codes, ApiKeyMissing, ModelRequired).</exception>
    public IReadOnlyList<string> Validate()
    {
        if (Providers.Count == 0) throw new AsrException(AsrErrorKind.InvalidInput, "ProviderMissing", "No provider was given.");
        var notes = new List<string>();
        foreach (var name in Providers)
        {
            var protocol = ProviderRegistry.Get(name);
            var settings = ResolvedSettings.Resolve(protocol, ForProvider(name), requireKey: Emulators is null);
            notes.AddRange(settings.Notes.Select(n => $"{protocol.Name}: {n}"));
        }
        _notesShown = true;
        return notes;
    }

    /// <summary>The settings for one provider: with several providers, a typed parameter the provider has no
    /// counterpart for is left out (and logged) instead of failing; with one, it stays and the session refuses it.</summary>
    public SessionOptions ForProvider(string provider, ILogger? log = null)
    {
        var o = Session with { Provider = provider };
        if (Providers.Count < 2) return o;
        var d = ProviderRegistry.Get(provider).Descriptor;
        var dropped = new List<string>();
        if (!d.Parameters.HasFlag(CommonParameters.Model) && !string.IsNullOrWhiteSpace(o.Model)) { o = o with { Model = null }; dropped.Add("-Model/--model"); }
        if (!d.Parameters.HasFlag(CommonParameters.WordTimestamps) && o.WordTimestamps is not null) { o = o with { WordTimestamps = null }; dropped.Add("-WordTimestamps/--word-timestamps"); }
        if (!d.Parameters.HasFlag(CommonParameters.Diarize) && o.Diarize is not null) { o = o with { Diarize = null }; dropped.Add("-Diarize/--diarize"); }
        if (!d.Parameters.HasFlag(CommonParameters.Vocabulary) && o.Vocabulary is { Count: > 0 }) { o = o with { Vocabulary = null }; dropped.Add("-Vocabulary/--vocabulary"); }
        if (dropped.Count > 0)
            log?.LogInformation("{Provider} has no counterpart for {Parameters}; they apply to the other providers only.", provider, string.Join(", ", dropped));
        return o;
    }

    /// <summary>Runs planned sessions (<see cref="FileTranscriber.Plan"/>) at once over the same audio; a failure of one
    /// does not stop the others. Under Split the finals are merged in time order (<see cref="TimeOrderedMerger"/>).</summary>
    /// <param name="sink">Receives each result, one call at a time.</param>
    /// <returns>One outcome per request, in request order.</returns>
    /// <exception cref="AsrException">AudioFormat when the file cannot be read (it is the same for every request).</exception>
    /// <exception cref="OperationCanceledException">Cancelled; every session was closed first.</exception>
    public static async Task<IReadOnlyList<ProviderOutcome>> RunEachAsync(IReadOnlyList<TranscriptionRequest> requests,
        Action<Transcript> sink, Action<JobProgress>? progress = null, ILoggerFactory? loggerFactory = null, CancellationToken ct = default)
    {
        var lf = loggerFactory ?? NullLoggerFactory.Instance;
        if (requests.Count > 1 && requests.Any(r => r.Path == AudioInput.StandardInput))
            throw new AsrException(AsrErrorKind.InvalidInput, "StandardInputSingleSession",
                "Standard input can feed one session only; to send it to several providers or split its channels, save it to a file first.");
        var gate = new object();
        bool timeOrdered = requests.Count > 1 && requests[0].RequireStereo;
        using var merger = timeOrdered ? new TimeOrderedMerger(requests.Count, sink) : null;
        Action<Transcript> For(int i) => merger is not null ? t => merger.Add(i, t) : t => { lock (gate) sink(t); };
        var tasks = requests.Select((r, i) => FileTranscriber.RunAsync(r, For(i), i == 0 ? progress : null, lf, ct)
            .ContinueWith(t => { merger?.Complete(i); return t; }, TaskScheduler.Default).Unwrap()).ToList();
        try { await Task.WhenAll(tasks).ConfigureAwait(false); }
        catch { /* each task's outcome is read below */ }
        merger?.Flush();
        ct.ThrowIfCancellationRequested();
        var outcomes = new List<ProviderOutcome>();
        for (int i = 0; i < tasks.Count; i++)
        {
            var t = tasks[i];
            var err = t.Exception?.InnerException;
            if (err is AudioFormatException) throw err; // the same file for every provider
            outcomes.Add(new ProviderOutcome(requests[i].Session.Provider, requests[i].Session.Channel,
                t.IsCompletedSuccessfully ? t.Result : (err as AsrException)?.Summary, err ?? (t.IsCanceled ? new OperationCanceledException() : null)));
        }
        return outcomes;
    }
}
