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
        var files = new Argument<string[]>("file")
        {
            Description = "Audio files: WAV (RF64 too); MP3, FLAC, Ogg, M4A, WebM… through ffmpeg; raw PCM with --raw; '-' for standard input.",
            Arity = ArgumentArity.OneOrMore,
        };
        var provider = CliOptions.Provider(several: true);
        var language = CliOptions.NotEmpty(new Option<string?>("--language", "-l") { Description = "Language code (provider default when omitted)." });
        var model = new Option<string?>("--model", "-m") { Description = ProviderHelp.Model() + " With several providers, it goes to those that take a model." };
        var wordTimes = CliOptions.Flag("--word-timestamps", $"Ask for word times ({ProviderHelp.Taking(CommonParameters.WordTimestamps)});");
        var diarize = CliOptions.Flag("--diarize", $"Speaker diarization ({ProviderHelp.Taking(CommonParameters.Diarize)});");
        var vocabulary = new Option<string[]>("--vocabulary") { Description = $"Custom vocabulary word or phrase ({ProviderHelp.Taking(CommonParameters.Vocabulary)}); repeatable." };
        var endpoint = CliOptions.Endpoint("Custom WebSocket URL (ws:// or wss://).");
        var apiKey = CliOptions.ApiKey("e.g. VOXIST_API_KEY");
        var apiKeyFile = CliOptions.ApiKeyFile();
        var auth = new Option<string?>("--auth") { Description = ProviderHelp.AuthModes() };
        var environment = new Option<string?>("--environment") { Description = "Named endpoint of the provider, e.g. production (each provider's: 'speechstream providers')." };
        var format = CliOptions.Choice("--format", "-f", "Output: text, csv, jsonl, srt or vtt (subtitles from the final results).", "text", TranscriptWriter.Formats);
        var partials = new Option<bool>("--partials") { Description = "Also write partial results (not in subtitles)." };
        var speed = CliOptions.Speed();
        var emulate = new Option<bool>("--emulate") { Description = "Run against the built-in emulator of the provider (no account needed)." };
        var profile = new Option<string?>("--emulator-profile") { Description = "With --emulate: server behaviours to emulate, comma-separated (see 'speechstream emulate --list-profiles'), e.g. realtime,close-1001." };
        var verbose = CliOptions.Verbose();
        var raw = CliOptions.Raw("Headerless input: ENCODING:RATE:CHANNELS, e.g. s16le:16000:1, mulaw:8000:1.");
        var channels = CliOptions.Choice("--channels", "-c", "mix (default), left, right, or split: one session per channel of a stereo call, merged in time order, each row labelled.", "mix", new[] { "mix", "left", "right", "split" });
        var chunk = CliOptions.WholeNumber(new Option<int?>("--chunk-ms") { Description = "Chunk size in milliseconds, 10 to 1000 (default: the provider's recommendation)." }, 10, 1000);
        var drain = CliOptions.Seconds(new Option<double>("--drain-timeout") { Description = "Seconds to wait, after the audio, for the provider's completion since its last result: 1 to 600 (default 30).", DefaultValueFactory = _ => 30 }, 1, 600);
        var grace = CliOptions.Seconds(new Option<double>("--completion-grace") { Description = "Seconds to read on after a completion message, for results sent just after it: 0 to 10 (default 0.5).", DefaultValueFactory = _ => 0.5 }, 0, 10);
        var options = CliOptions.ProviderOptions("Provider option key=value (repeatable; see 'speechstream providers').");
        var unencrypted = CliOptions.AllowUnencrypted();
        var parallel = CliOptions.WholeNumber(new Option<int>("--parallel", "-j") { Description = "Inputs transcribed at once, each with all its providers: 1 to 256 (default 1).", DefaultValueFactory = _ => 1 }, 1, 256);
        var outputDir = new Option<string?>("--output-dir") { Description = "Write one file per input there (<name>.<format>, text as .txt), atomically; an incomplete transcript is named <name>.incomplete.<format>." };
        var skip = new Option<bool>("--skip-existing") { Description = "With --output-dir: skip inputs whose whole transcript is already there (resume a batch)." };
        var shard = CliOptions.Shard();
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress line and no summary on stderr (errors and warnings still)." };
        var cmd = new Command("transcribe", "Transcribe audio files; one row per final result.")
        {
            files, provider, language, model, wordTimes, diarize, vocabulary, endpoint, apiKey, apiKeyFile, auth, environment, format, partials,
            speed, emulate, profile, verbose, raw, channels, chunk, drain, grace, options, unencrypted, parallel, outputDir, skip, shard, quiet,
        };
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

        cmd.SetAction(async (pr, ct) =>
        {
            var providerNames = CliOptions.ParseProviders(pr.GetValue(provider)!);
            Uri? url = CliOptions.ParseEndpoint(pr.GetValue(endpoint));
            if (url is not null && providerNames.Count > 1)
                throw new AsrException(AsrErrorKind.InvalidInput, "EndpointAmbiguous", "--endpoint names one server, so it takes one --provider; drop --endpoint or compare providers with --emulate or their real endpoints.");
            var inputs = pr.GetValue(files)!.ToList();
            if (pr.GetValue(apiKey) == "-" && inputs.Contains(Engine.Audio.AudioInput.StandardInput))
                throw new AsrException(AsrErrorKind.InvalidInput, "ApiKeyStdinTaken", "--api-key - and the input '-' both read standard input: give the key with --api-key-file or the environment.");
            var key = await ctx.ReadKeyAsync(pr.GetValue(apiKey), pr.GetValue(apiKeyFile), pr.GetValue(verbose), ct).ConfigureAwait(false);
            if (pr.GetValue(shard) is { } shardText)
            {
                var s = Shard.Parse(shardText);
                int all = inputs.Count;
                inputs = inputs.Where(s.Includes).ToList();
                if (!pr.GetValue(quiet)) ctx.Err.WriteLine($"speechstream: shard {s}: {inputs.Count} of {all} input(s).");
            }
            var formatValue = TranscriptWriter.ParseFormat(pr.GetValue(format)!);
            var job = new TranscriptionJob
            {
                Providers = providerNames,
                Session = new SessionOptions
                {
                    Provider = providerNames[0], Language = pr.GetValue(language), Model = pr.GetValue(model),
                    WordTimestamps = pr.GetValue(wordTimes), Diarize = pr.GetValue(diarize),
                    Vocabulary = pr.GetValue(vocabulary) is { Length: > 0 } v ? v : null,
                    ApiKey = key, AuthMode = pr.GetValue(auth), Environment = pr.GetValue(environment), Endpoint = url,
                    ProviderOptions = CliOptions.ParseOptions(pr.GetValue(options)),
                    DrainTimeout = TimeSpan.FromSeconds(pr.GetValue(drain)),
                    CompletionGrace = TimeSpan.FromSeconds(pr.GetValue(grace)),
                    AllowUnencrypted = pr.GetValue(unencrypted),
                },
                Channels = FileTranscriber.ParseChannelMode(pr.GetValue(channels)!),
                Speed = Pacer.ParseSpeed(pr.GetValue(speed)!),
                RawFormat = CliOptions.ParseRaw(pr.GetValue(raw)),
                ChunkMilliseconds = pr.GetValue(chunk),
                IncludePartials = pr.GetValue(partials),
                StandardInput = ctx.Stdin,
                Emulators = EmulatorHost.Create(pr.GetValue(emulate), pr.GetValue(profile), providerNames),
            };
            var notes = job.Validate(); // every provider's settings, before anything connects
            var folder = pr.GetValue(outputDir) is { } dir ? new OutputFolder(dir, formatValue) : null;
            if (folder is null && pr.GetValue(skip))
                throw new AsrException(AsrErrorKind.InvalidInput, "SkipExistingNeedsOutputDir", "--skip-existing needs --output-dir: it skips inputs whose output file is there.");
            var writer = folder is null ? TranscriptWriter.Create(formatValue, ctx.Out, showProvider: providerNames.Count > 1) : null;
            var progress = new ProgressLine(ctx.Console, inputs.Count, quiet: pr.GetValue(quiet));
            using var lf = ctx.CreateLoggerFactory(pr.GetValue(verbose));
            var log = lf.CreateLogger("speechstream");
            foreach (var note in notes) log.LogInformation("{Note}", note);
            var runner = new BatchRunner
            {
                Job = job, Parallel = pr.GetValue(parallel), Output = folder, SkipExisting = pr.GetValue(skip), Sink = writer is null ? null : writer.Write,
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
            if (!pr.GetValue(quiet) || summary.Verdict != Verdict.Whole) ctx.Err.WriteLine($"speechstream: {summary.Describe()}.");
            if (summary.Cancelled) throw new OperationCanceledException(ct);
            return Verdicts.ExitCode(summary.Verdict);
        });
        return cmd;
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
