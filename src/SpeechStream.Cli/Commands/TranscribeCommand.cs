using System.CommandLine;
using Microsoft.Extensions.Logging;
using SpeechStream.Emulator;
using SpeechStream.Engine;
using SpeechStream.Engine.Diagnostics;
using SpeechStream.Engine.Jobs;
using SpeechStream.Engine.Jobs.Batch;
using SpeechStream.Engine.Providers;
using SpeechStream.Engine.Sessions;
using SpeechStream.Engine.Transcripts;
using SpeechStream.Engine.Transcripts.Formats;

namespace SpeechStream.Cli.Commands;

/// <summary><c>speechstream transcribe</c>: files (or standard input) to one stream of rows, or to one output file per
/// input; several at once, a shard of them, resumable. The engine job is <see cref="BatchRunner"/>.</summary>
internal static class TranscribeCommand
{
    public static readonly string[] Examples =
    {
        "speechstream transcribe call.wav --emulate",
        "speechstream transcribe call.wav -p voxist,speechall -m deepgram.nova-2 -f csv > calls.csv",
        "speechstream transcribe call.wav -f srt > call.srt",
        "speechstream transcribe archive/*.wav --parallel 8 --output-dir out -f csv --skip-existing",
        "speechstream transcribe archive/*.wav --shard 3/8 --output-dir out --skip-existing",
        "speechstream transcribe stereo-call.wav --channels split -f text",
        "arecord -f S16_LE -r 16000 -c 1 -t raw | speechstream transcribe - --raw s16le:16000:1",
        "speechstream transcribe call.wav --api-key-file /run/secrets/voxist",
    };

    private static readonly string[] BoolWords = { "yes", "no", "on", "off", "y", "n" };

    public static Command Build(CliContext ctx)
    {
        var o = new TranscribeOptions();
        var cmd = new Command("transcribe", "Transcribe audio files; one row per final result.")
        {
            o.Files, o.Provider, o.Language, o.Model, o.WordTimes, o.Diarize, o.Vocabulary, o.Endpoint, o.ApiKey, o.ApiKeyFile, o.Auth, o.Environment, o.Format, o.Partials,
            o.Speed, o.Emulate, o.Profile, o.Verbose, o.Raw, o.Channels, o.Chunk, o.Drain, o.Grace, o.ProviderOptions, o.Unencrypted, o.Parallel, o.OutputDir, o.Skip, o.Shard, o.Quiet,
        };
        AddFileValidator(o.Files, cmd);
        cmd.SetAction((pr, ct) => RunAsync(ctx, o, pr, ct));
        return cmd;
    }

    /// <summary>Refuses, as parse errors, file arguments that are not files but look like a mistyped option (with the
    /// nearest of <paramref name="cmd"/>'s options) or like a value for a flag (yes, no, on, off…).</summary>
    private static void AddFileValidator(Argument<string[]> files, Command cmd)
    {
        var optionNames = cmd.Options.SelectMany(o => o.Aliases.Prepend(o.Name)).Where(n => n.StartsWith("--", StringComparison.Ordinal)).ToList();
        files.Validators.Add(r =>
        {
            foreach (var t in r.Tokens)
            {
                string v = t.Value;
                if (File.Exists(v)) continue;
                if (v.Length > 1 && v[0] == '-')
                    r.AddError($"Unknown option '{v}' for transcribe.{CliOptions.Suggest(v.Split('=')[0], optionNames)}");
                else if (BoolWords.Contains(v, StringComparer.OrdinalIgnoreCase))
                    r.AddError($"'{v}' is not a file. --word-timestamps and --diarize take true or false, e.g. --diarize {(v.ToLowerInvariant() is "no" or "off" or "n" ? "false" : "true")}.");
            }
        });
    }

    /// <summary>The command's action: builds the job (<see cref="BuildJobAsync"/>), checks it, runs the
    /// <see cref="BatchRunner"/> with the progress line and the writer, and reports.</summary>
    /// <returns>The exit code of the batch's verdict.</returns>
    private static async Task<int> RunAsync(CliContext ctx, TranscribeOptions o, ParseResult pr, CancellationToken ct)
    {
        var (job, inputs, formatValue) = await BuildJobAsync(ctx, o, pr, ct).ConfigureAwait(false);
        var notes = job.Validate(); // every provider's settings, before anything connects
        var folder = pr.GetValue(o.OutputDir) is { } dir ? new OutputFolder(dir, formatValue) : null;
        if (folder is null && pr.GetValue(o.Skip))
            throw new AsrException(AsrErrorKind.InvalidInput, "SkipExistingNeedsOutputDir", "--skip-existing needs --output-dir: it skips inputs whose output file is there.");
        var writer = folder is null ? TranscriptWriter.Create(formatValue, ctx.Out, showProvider: job.Providers.Count > 1) : null;
        var progress = new ProgressLine(ctx.Console, inputs.Count, quiet: pr.GetValue(o.Quiet));
        using var lf = ctx.CreateLoggerFactory(pr.GetValue(o.Verbose));
        var log = lf.CreateLogger("speechstream");
        foreach (var note in notes) log.LogInformation("{Note}", note);
        var runner = new BatchRunner
        {
            Job = job, Parallel = pr.GetValue(o.Parallel), Output = folder, SkipExisting = pr.GetValue(o.Skip), Sink = writer is null ? null : writer.Write,
            OnProgress = progress.Batch, OnFileProgress = progress.File,
            OnFileDone = r => Report(ctx.Err, r, job.Channels == ChannelMode.Split),
        };
        BatchSummary summary;
        try { summary = await runner.RunAsync(inputs, lf, ct).ConfigureAwait(false); }
        finally
        {
            writer?.Complete();
            progress.Clear();
        }
        if (!pr.GetValue(o.Quiet) || summary.Verdict != Verdict.Whole) ctx.Err.WriteLine($"speechstream: {summary.Describe()}.");
        if (summary.Cancelled) throw new OperationCanceledException(ct);
        return Verdicts.ExitCode(summary.Verdict);
    }

    /// <summary>The job from the parse result, checked in this order: the providers and the endpoint, the key (read
    /// once), the shard (which selects the inputs), the output format; the emulators start last.</summary>
    /// <returns>The job, the inputs of this shard, and the output format.</returns>
    /// <exception cref="AsrException">InvalidInput: EndpointAmbiguous, ApiKeyStdinTaken, or a value that does not parse.</exception>
    private static async Task<(TranscriptionJob Job, List<string> Inputs, TranscriptFormat Format)> BuildJobAsync(
        CliContext ctx, TranscribeOptions o, ParseResult pr, CancellationToken ct)
    {
        var providerNames = CliOptions.ParseProviders(pr.GetValue(o.Provider)!);
        Uri? url = CliOptions.ParseEndpoint(pr.GetValue(o.Endpoint));
        if (url is not null && providerNames.Count > 1)
            throw new AsrException(AsrErrorKind.InvalidInput, "EndpointAmbiguous", "--endpoint names one server, so it takes one --provider; drop --endpoint or compare providers with --emulate or their real endpoints.");
        var inputs = pr.GetValue(o.Files)!.ToList();
        if (pr.GetValue(o.ApiKey) == "-" && inputs.Contains(Engine.Audio.AudioInput.StandardInput))
            throw new AsrException(AsrErrorKind.InvalidInput, "ApiKeyStdinTaken", "--api-key - and the input '-' both read standard input: give the key with --api-key-file or the environment.");
        var key = await ctx.ReadKeyAsync(pr.GetValue(o.ApiKey), pr.GetValue(o.ApiKeyFile), pr.GetValue(o.Verbose), ct).ConfigureAwait(false);
        if (pr.GetValue(o.Shard) is { } shardText)
        {
            var s = Shard.Parse(shardText);
            int all = inputs.Count;
            inputs = inputs.Where(s.Includes).ToList();
            if (!pr.GetValue(o.Quiet)) ctx.Err.WriteLine($"speechstream: shard {s}: {inputs.Count} of {all} input(s).");
        }
        var formatValue = TranscriptWriter.ParseFormat(pr.GetValue(o.Format)!);
        var job = new TranscriptionJob
        {
            Providers = providerNames,
            Session = new SessionOptions
            {
                Provider = providerNames[0], Language = pr.GetValue(o.Language), Model = pr.GetValue(o.Model),
                WordTimestamps = pr.GetValue(o.WordTimes), Diarize = pr.GetValue(o.Diarize),
                Vocabulary = pr.GetValue(o.Vocabulary) is { Length: > 0 } v ? v : null,
                ApiKey = key, AuthMode = pr.GetValue(o.Auth), Environment = pr.GetValue(o.Environment), Endpoint = url,
                ProviderOptions = CliOptions.ParseOptions(pr.GetValue(o.ProviderOptions)),
                DrainTimeout = TimeSpan.FromSeconds(pr.GetValue(o.Drain)),
                CompletionGrace = TimeSpan.FromSeconds(pr.GetValue(o.Grace)),
                AllowUnencrypted = pr.GetValue(o.Unencrypted),
            },
            Channels = FileTranscriber.ParseChannelMode(pr.GetValue(o.Channels)!),
            Speed = Pacer.ParseSpeed(pr.GetValue(o.Speed)!),
            RawFormat = CliOptions.ParseRaw(pr.GetValue(o.Raw)),
            ChunkMilliseconds = pr.GetValue(o.Chunk),
            IncludePartials = pr.GetValue(o.Partials),
            StandardInput = ctx.Stdin,
            Emulators = EmulatorHost.Create(pr.GetValue(o.Emulate), pr.GetValue(o.Profile), providerNames),
        };
        return (job, inputs, formatValue);
    }

    /// <summary>Writes what went wrong with one input to stderr: an unreadable file, a provider's error, or the audio a
    /// session could not confirm; and any protocol violation the emulator saw.</summary>
    private static void Report(TextWriter err, BatchFileResult result, bool split)
    {
        if (result.Outcome is not { } outcome) return;
        if (outcome.InputError is { } bad) err.WriteLine($"speechstream: {SecretRedactor.Redact(bad.Message)}");
        foreach (var o in outcome.Providers.Where(o => o.Verdict != Verdict.Whole && o.Verdict != Verdict.Cancelled))
        {
            string where = $"{outcome.Source}{(split ? $" ({o.Channel})" : "")}";
            err.WriteLine(o.Verdict == Verdict.Incomplete
                ? $"speechstream: {where}: transcript incomplete: {o.Provider}: {string.Join(", ", o.Summary?.Uncovered ?? Array.Empty<TimeRange>())} without a confirmed final{(o.Summary?.UnconfirmedFinals > 0 ? $" ({o.Summary.UnconfirmedFinals} row(s) marked Unconfirmed)" : "")}."
                : $"speechstream: {where}: {o.Describe()}");
        }
        foreach (var violation in outcome.EmulatorViolations) err.WriteLine($"speechstream: the emulator saw a protocol violation: {violation}");
    }
}
