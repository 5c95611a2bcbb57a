using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging;
using SpeechStream.Emulator;
using SpeechStream.Engine;
using SpeechStream.Engine.Audio;
using SpeechStream.Engine.Diagnostics;
using SpeechStream.Engine.Jobs;
using SpeechStream.Engine.Providers;
using SpeechStream.Engine.Sessions;

namespace SpeechStream.Cli;

/// <summary>Exit codes of <c>speechstream</c>: the verdict of the run (<see cref="Verdicts.ExitCode"/>). With several
/// files, providers or channels the worst verdict wins, in this order: 130 cancelled, 2 bad usage or input, 3 key
/// refused, 4 provider unreachable or refusing, 5 transcript incomplete, 0 whole.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Usage = 2;
    public const int Auth = 3;
    public const int Failure = 4;
    public const int Incomplete = 5;
    public const int Cancelled = 130;

    public static int For(AsrException e) => Verdicts.ExitCode(Verdicts.Of(e));
}

/// <summary>The <c>speechstream</c> command line. Transcripts go to stdout, diagnostics to stderr. Exit codes:
/// <see cref="ExitCodes"/>.</summary>
public sealed class CliApp
{
    private readonly TextWriter _out;
    private readonly TextWriter _err;
    private readonly bool _interactiveErr;

    private readonly Stream? _stdin;

    /// <param name="stdin">What the file name "-" reads (default: the console's standard input).</param>
    public CliApp(TextWriter stdout, TextWriter stderr, bool interactiveStderr = false, Stream? stdin = null)
    {
        _stdin = stdin;
        _out = stdout;
        _err = stderr;
        _interactiveErr = interactiveStderr;
    }

    /// <summary>Runs in a console. The first Ctrl+C asks <c>listen</c> to stop gracefully (the last results are
    /// still written) and cancels anything else; a second Ctrl+C aborts.</summary>
    public static async Task<int> RunConsoleAsync(string[] args)
    {
        var app = new CliApp(Console.Out, Console.Error, !Console.IsErrorRedirected);
        using var abort = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            if (!app._stop.IsCancellationRequested && app._listening)
            {
                app._stop.Cancel();
                Console.Error.WriteLine("speechstream: stopping; Ctrl+C again to abort.");
            }
            else abort.Cancel();
        };
        return await app.RunAsync(args, abort.Token).ConfigureAwait(false);
    }

    private readonly CancellationTokenSource _stop = new();
    private volatile bool _listening;

    /// <summary>Asks a running <c>listen</c> to stop capturing and finish (what the first Ctrl+C does).</summary>
    public void RequestStop() => _stop.Cancel();

    /// <summary>Parses and runs a command line.</summary>
    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var root = BuildCommand();
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors) _err.WriteLine("speechstream: " + e.Message);
            _err.WriteLine("Try 'speechstream --help'.");
            return ExitCodes.Usage;
        }
        // Ctrl+C is handled by RunConsoleAsync (graceful stop for listen), not by System.CommandLine.
        var config = new InvocationConfiguration { Output = _out, Error = _err, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
        using var ctrlC = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            return await parse.InvokeAsync(config, ctrlC.Token).ConfigureAwait(false);
        }
        catch (AsrException e)
        {
            _err.WriteLine($"speechstream: {SecretRedactor.Redact(e.Message)}");
            return ExitCodes.For(e);
        }
        catch (OperationCanceledException)
        {
            _err.WriteLine("speechstream: cancelled.");
            return ExitCodes.Cancelled;
        }
    }

    private RootCommand BuildCommand()
    {
        var root = new RootCommand("Stream audio to speech-to-text providers and write transcripts (SpeechStream).");
        root.Subcommands.Add(TranscribeCommand());
        root.Subcommands.Add(ListenCommand());
        root.Subcommands.Add(SpeakCommand());
        root.Subcommands.Add(EmulateCommand());
        root.Subcommands.Add(ProvidersCommand());
        return root;
    }

    private Command TranscribeCommand()
    {
        var files = new Argument<string[]>("file") { Description = "Audio files: WAV; MP3, FLAC, Ogg, M4A, WebM… through ffmpeg; raw PCM with --raw; '-' for standard input.", Arity = ArgumentArity.OneOrMore };
        var provider = new Option<string>("--provider", "-p") { Description = "Provider, or several separated by commas to compare them on the same audio: " + string.Join(", ", ProviderRegistry.Names).ToLowerInvariant(), DefaultValueFactory = _ => "voxist" };
        var language = new Option<string?>("--language", "-l") { Description = "Language code (provider default when omitted)." };
        var model = new Option<string?>("--model", "-m") { Description = "Model id (Speechall: required, e.g. deepgram.nova-2; VoxNexus: model_id)." };
        var wordTimes = new Option<bool?>("--word-timestamps") { Description = "Ask for word times (Smallest, VoxNexus); true or false." };
        var diarize = new Option<bool?>("--diarize") { Description = "Speaker diarization (Smallest, Speechall); true or false." };
        var vocabulary = new Option<string[]>("--vocabulary") { Description = "Custom vocabulary word or phrase (Smallest keywords, Speechall custom_vocabulary); repeatable." };
        var endpoint = new Option<string?>("--endpoint") { Description = "Custom WebSocket URL (ws:// or wss://)." };
        var apiKey = new Option<string?>("--api-key") { Description = "API key (default: the provider's environment variable, e.g. VOXIST_API_KEY)." };
        var auth = new Option<string?>("--auth") { Description = "Auth mode (voxist: token|key; smallest: bearer|token; voxnexus: token|header; speechall: bearer|key)." };
        var environment = new Option<string?>("--environment") { Description = "Named endpoint: production, staging (Voxist), pulse (Smallest), … (see 'speechstream providers')." };
        var format = new Option<string>("--format", "-f") { Description = "Output: text, csv, jsonl.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong(TranscriptWriter.Formats);
        var partials = new Option<bool>("--partials") { Description = "Also write partial results." };
        var speed = new Option<string>("--speed") { Description = "1 = real time, 2, 4, … or max.", DefaultValueFactory = _ => "1" };
        var emulate = new Option<bool>("--emulate") { Description = "Run against the built-in emulator of the provider (no account needed)." };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Log the session to stderr (keys are never shown)." };
        var raw = new Option<string?>("--raw") { Description = "Headerless input: ENCODING:RATE:CHANNELS, e.g. s16le:16000:1, mulaw:8000:1." };
        var channels = new Option<string>("--channels", "-c") { Description = "mix (default), left, right, or split: one session per channel of a stereo call, merged in time order.", DefaultValueFactory = _ => "mix" };
        var chunk = new Option<int?>("--chunk-ms") { Description = "Chunk size in milliseconds (default: the provider's recommendation)." };
        var drain = new Option<double>("--drain-timeout") { Description = "Seconds to wait, after the audio, for the provider's completion since its last result.", DefaultValueFactory = _ => 30 };
        var grace = new Option<double>("--completion-grace") { Description = "Seconds to read on after a completion message, for results sent just after it.", DefaultValueFactory = _ => 0.5 };
        var options = new Option<string[]>("--option", "-o") { Description = "Provider option key=value (repeatable; see 'speechstream providers')." };
        var profile = EmulatorProfileOption();
        var unencrypted = AllowUnencryptedOption();
        var cmd = new Command("transcribe", "Transcribe audio files; one row per final result.")
        {
            files, provider, language, model, wordTimes, diarize, vocabulary, endpoint, apiKey, auth, environment, format, partials, speed,
            emulate, profile, verbose, raw, channels, chunk, drain, grace, options, unencrypted,
        };
        cmd.SetAction(async (pr, ct) =>
        {
            var providerNames = ParseProviders(pr.GetValue(provider)!);
            double spd = Pacer.ParseSpeed(pr.GetValue(speed)!);
            var rawFormat = ParseRaw(pr.GetValue(raw));
            var channelMode = FileTranscriber.ParseChannelMode(pr.GetValue(channels)!);
            var providerOptions = ParseOptions(pr.GetValue(options));
            string? key = pr.GetValue(apiKey);
            Uri? url = ParseEndpoint(pr.GetValue(endpoint));
            if (url is not null && providerNames.Count > 1)
                throw new AsrException(AsrErrorKind.InvalidInput, "EndpointAmbiguous", "--endpoint names one server, so it takes one --provider; drop --endpoint or compare providers with --emulate or their real endpoints.");
            var baseOptions = new SessionOptions
            {
                Provider = providerNames[0],
                Language = pr.GetValue(language),
                Model = pr.GetValue(model),
                WordTimestamps = pr.GetValue(wordTimes),
                Diarize = pr.GetValue(diarize),
                Vocabulary = pr.GetValue(vocabulary) is { Length: > 0 } v ? v : null,
                ApiKey = key is null ? null : new Secret(key),
                AuthMode = pr.GetValue(auth),
                Environment = pr.GetValue(environment),
                Endpoint = url,
                ProviderOptions = providerOptions,
                DrainTimeout = TimeSpan.FromSeconds(Math.Clamp(pr.GetValue(drain), 1, 600)),
                CompletionGrace = TimeSpan.FromSeconds(Math.Clamp(pr.GetValue(grace), 0, 10)),
                AllowUnencrypted = pr.GetValue(unencrypted),
            };
            using var lf = CreateLoggerFactory(pr.GetValue(verbose));
            var writer = TranscriptWriter.Create(pr.GetValue(format)!, _out, showProvider: providerNames.Count > 1);
            var job = new TranscriptionJob
            {
                Providers = providerNames, Session = baseOptions, Channels = channelMode, Speed = spd, RawFormat = rawFormat,
                ChunkMilliseconds = pr.GetValue(chunk), IncludePartials = pr.GetValue(partials), StandardInput = _stdin,
                Emulators = EmulatorHost.Create(pr.GetValue(emulate), pr.GetValue(profile), providerNames),
            };
            var verdicts = new List<Verdict>();
            foreach (var file in pr.GetValue(files)!)
            {
                var outcome = await job.RunFileAsync(file, writer.Write, Progress, lf, ct).ConfigureAwait(false);
                ClearProgress();
                Report(outcome, channelMode == ChannelMode.Split);
                verdicts.Add(outcome.Verdict);
            }
            return Verdicts.ExitCode(Verdicts.Worst(verdicts));
        });
        return cmd;
    }

    /// <summary>Writes what went wrong with one input to stderr: an unreadable file, a provider's error, or the audio a
    /// session could not confirm; and any protocol violation the emulator saw.</summary>
    private void Report(FileOutcome outcome, bool split)
    {
        lock (_err)
        {
            if (outcome.InputError is { } bad) _err.WriteLine($"speechstream: {SecretRedactor.Redact(bad.Message)}");
            foreach (var o in outcome.Providers.Where(o => o.Verdict != Verdict.Whole && o.Verdict != Verdict.Cancelled))
            {
                string where = $"{outcome.Source}{(split ? $" ({o.Channel})" : "")}";
                _err.WriteLine(o.Verdict == Verdict.Incomplete
                    ? $"speechstream: {where}: transcript incomplete: {o.Provider}: {string.Join(", ", o.Summary?.Uncovered ?? Array.Empty<TimeRange>())} without a confirmed final{(o.Summary?.UnconfirmedFinals > 0 ? $" ({o.Summary.UnconfirmedFinals} row(s) marked Unconfirmed)" : "")}."
                    : $"speechstream: {where}: {o.Describe()}");
            }
            foreach (var violation in outcome.EmulatorViolations) _err.WriteLine($"speechstream: the emulator saw a protocol violation: {violation}");
        }
    }

    private static Option<string?> EmulatorProfileOption() =>
        new("--emulator-profile") { Description = "With --emulate: server behaviours to emulate, comma-separated (see 'speechstream emulate --list-profiles'), e.g. realtime,close-1001." };

    /// <summary>Parses <c>--provider a,b</c> into known provider names (case as registered), without repeats.</summary>
    /// <exception cref="AsrException">InvalidInput for an unknown provider, listing the known ones.</exception>
    public static IReadOnlyList<string> ParseProviders(string spec) =>
        spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(n => ProviderRegistry.Get(n).Name).Distinct().DefaultIfEmpty(ProviderRegistry.All[0].Name).ToList();

    private static Option<bool> AllowUnencryptedOption() =>
        new("--allow-unencrypted") { Description = "Allow ws:// to a host that is not this machine (the key would travel in clear)." };

    private ILoggerFactory CreateLoggerFactory(bool verbose) =>
        CallbackLogging.Create((level, cat, msg) => { lock (_err) _err.WriteLine($"{Level(level)}: {msg}"); }, verbose ? LogLevel.Debug : LogLevel.Warning);

    private Command ListenCommand()
    {
        var provider = new Option<string>("--provider", "-p") { Description = "Provider: " + string.Join(", ", ProviderRegistry.Names).ToLowerInvariant(), DefaultValueFactory = _ => "voxist" };
        var language = new Option<string?>("--language", "-l") { Description = "Language code (provider default when omitted)." };
        var model = new Option<string?>("--model", "-m") { Description = "Model id (Speechall: required; VoxNexus: model_id)." };
        var device = new Option<string?>("--device", "-d") { Description = "Capture device for the chosen tool (ALSA device, PulseAudio source, avfoundation index, dshow name)." };
        var duration = new Option<double?>("--duration") { Description = "Stop after this many seconds (default: until Ctrl+C)." };
        var capture = new Option<string?>("--capture-command") { Description = "A command that writes PCM to standard output (s16le 16 kHz mono, or --raw), run through the shell." };
        var raw = new Option<string?>("--raw") { Description = "Format the capture command writes: ENCODING:RATE:CHANNELS (default s16le:16000:1)." };
        var endpoint = new Option<string?>("--endpoint") { Description = "Custom WebSocket URL (ws:// or wss://)." };
        var apiKey = new Option<string?>("--api-key") { Description = "API key (default: the provider's environment variable)." };
        var auth = new Option<string?>("--auth") { Description = "Auth mode (see 'speechstream providers')." };
        var format = new Option<string>("--format", "-f") { Description = "Output: text, csv, jsonl.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong(TranscriptWriter.Formats);
        var partials = new Option<bool>("--partials") { Description = "Also write partial results." };
        var options = new Option<string[]>("--option", "-o") { Description = "Provider option key=value (repeatable)." };
        var emulate = new Option<bool>("--emulate") { Description = "Run against the built-in emulator of the provider." };
        var transcript = new Option<string?>("--transcript") { Description = "With --emulate: a sidecar JSON for the emulator to replay." };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Log the session to stderr." };
        var unencrypted = AllowUnencryptedOption();
        var cmd = new Command("listen", "Transcribe the microphone until Ctrl+C or --duration; one row per final result.")
        {
            provider, language, model, device, duration, capture, raw, endpoint, apiKey, auth, format, partials, options, emulate, transcript, verbose, unencrypted,
        };
        cmd.SetAction(async (pr, ct) =>
        {
            var name = ProviderRegistry.Get(pr.GetValue(provider)!).Name;
            Uri? url = ParseEndpoint(pr.GetValue(endpoint));
            if (pr.GetValue(duration) is double dd && (dd <= 0 || double.IsNaN(dd)))
                throw new AsrException(AsrErrorKind.InvalidInput, "DurationInvalid", $"--duration {dd} is not valid: expected a positive number of seconds.");
            var rawFormat = ParseRaw(pr.GetValue(raw));
            var command = pr.GetValue(capture) is { Length: > 0 } c ? MicrophoneCapture.FromCommandLine(c, rawFormat) : null;
            await using var emulator = pr.GetValue(emulate) ? EmulatorHost.StartForFile(name, null, pr.GetValue(transcript)) : null;
            string? key = pr.GetValue(apiKey);
            var session = new SessionOptions
            {
                Provider = name, Language = pr.GetValue(language), Model = pr.GetValue(model), AuthMode = pr.GetValue(auth),
                ApiKey = emulator is not null ? new Secret(EmulatorHost.ApiKey) : key is null ? null : new Secret(key),
                Endpoint = emulator?.Endpoint ?? url, ProviderOptions = ParseOptions(pr.GetValue(options)), AllowUnencrypted = pr.GetValue(unencrypted),
            };
            using var lf = CreateLoggerFactory(pr.GetValue(verbose));
            var writer = TranscriptWriter.Create(pr.GetValue(format)!, _out);
            _listening = true;
            try
            {
                var summary = await MicrophoneTranscriber.RunAsync(new MicrophoneRequest
                {
                    Session = session, Capture = command, Device = pr.GetValue(device),
                    Duration = pr.GetValue(duration) is double s ? TimeSpan.FromSeconds(s) : null, IncludePartials = pr.GetValue(partials),
                }, writer.Write, lf, _stop.Token, ct).ConfigureAwait(false);
                if (summary.IsWhole) return ExitCodes.Ok;
                _err.WriteLine($"speechstream: transcript incomplete: {summary.Describe()}");
                return ExitCodes.Incomplete;
            }
            finally { _listening = false; }
        });
        return cmd;
    }

    private Command SpeakCommand()
    {
        var text = new Argument<string[]>("text") { Description = "Text to speak; none or '-' reads standard input (one piece per line).", Arity = ArgumentArity.ZeroOrMore };
        var output = new Option<string>("--out", "-o") { Description = "WAV file to write.", Required = true };
        var voice = new Option<string?>("--voice") { Description = "voice_id, e.g. vl-xiaoxiao." };
        var language = new Option<string?>("--language", "-l") { Description = "Language, e.g. zh-CN, en-US." };
        var rate = new Option<int>("--sample-rate") { Description = "Sample rate in Hz.", DefaultValueFactory = _ => 16000 };
        var speed = new Option<double?>("--speed") { Description = "Speaking rate (1.0 = normal)." };
        var pitch = new Option<double?>("--pitch") { Description = "Pitch (0 = normal)." };
        var volume = new Option<double?>("--volume") { Description = "Volume (1.0 = normal)." };
        var style = new Option<string?>("--style") { Description = "voice_config.style, e.g. cheerful." };
        var role = new Option<string?>("--role") { Description = "voice_config.role, e.g. Girl." };
        var degree = new Option<double?>("--degree") { Description = "voice_config.degree (style intensity)." };
        var endpoint = new Option<string?>("--endpoint") { Description = "Custom TTS WebSocket URL." };
        var apiKey = new Option<string?>("--api-key") { Description = "API key (default: VOXNEXUS_API_KEY)." };
        var auth = new Option<string?>("--auth") { Description = "token (query, default) or header (X-Api-Key)." };
        var emulate = new Option<bool>("--emulate") { Description = "Run against the built-in VoxNexus emulator." };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Log to stderr." };
        var unencrypted = AllowUnencryptedOption();
        var cmd = new Command("speak", "Synthesise speech with VoxNexus TTS into a WAV file.")
        {
            text, output, voice, language, rate, speed, pitch, volume, style, role, degree, endpoint, apiKey, auth, emulate, verbose, unencrypted,
        };
        cmd.SetAction(async (pr, ct) =>
        {
            var pieces = pr.GetValue(text) ?? Array.Empty<string>();
            if (pieces.Length == 0 || (pieces.Length == 1 && pieces[0] == "-"))
                pieces = (await Console.In.ReadToEndAsync(ct).ConfigureAwait(false)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Uri? url = ParseEndpoint(pr.GetValue(endpoint));
            await using var emulator = pr.GetValue(emulate) ? EmulatorServer.Start("VoxNexus") : null;
            using var lf = CreateLoggerFactory(pr.GetValue(verbose));
            var result = await Engine.Providers.VoxNexus.VoxNexusSpeechSynthesizer.SynthesizeAsync(new Engine.Providers.VoxNexus.SpeechRequest
            {
                Texts = pieces, OutFile = pr.GetValue(output)!, Voice = pr.GetValue(voice), Language = pr.GetValue(language),
                SampleRate = pr.GetValue(rate), Speed = pr.GetValue(speed), Pitch = pr.GetValue(pitch), Volume = pr.GetValue(volume),
                Style = pr.GetValue(style), Role = pr.GetValue(role), Degree = pr.GetValue(degree),
                ApiKey = emulator is not null ? new Secret(EmulatorHost.ApiKey) : pr.GetValue(apiKey) is { } k ? new Secret(k) : null,
                AuthMode = pr.GetValue(auth), AllowUnencrypted = pr.GetValue(unencrypted),
                Endpoint = emulator is not null ? new Uri($"ws://127.0.0.1:{emulator.Port}{VoxNexusEmulator.TtsPath}") : url,
            }, lf, ct).ConfigureAwait(false);
            _out.WriteLine(FormattableString.Invariant($"{result.Path}: {result.DurationSeconds:0.00} s, {result.SampleRate} Hz, {result.Channels} channel(s), {result.BitsPerSample}-bit PCM, {result.Chunks} chunk(s)"));
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private string _lastProgress = "";

    private void Progress(JobProgress p)
    {
        if (!_interactiveErr) return;
        string line = p.TotalSeconds is double total
            ? FormattableString.Invariant($"\r{Path.GetFileName(p.Source)}: {p.SecondsSent:0.0}/{total:0.0} s ({100 * p.SecondsSent / Math.Max(total, 0.001):0}%)")
            : FormattableString.Invariant($"\r{Path.GetFileName(p.Source)}: {p.SecondsSent:0.0} s");
        lock (_err)
        {
            _err.Write(line);
            _lastProgress = line;
        }
    }

    private void ClearProgress()
    {
        if (!_interactiveErr || _lastProgress.Length == 0) return;
        lock (_err) _err.Write("\r" + new string(' ', _lastProgress.Length) + "\r");
        _lastProgress = "";
    }

    private static string Level(LogLevel l) => l switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warning",
        _ => "error",
    };

    /// <summary>Parses <c>--endpoint</c>: null when not given.</summary>
    /// <exception cref="AsrException">InvalidInput when it is not an absolute URL (the key, if any, is masked).</exception>
    public static Uri? ParseEndpoint(string? text) =>
        text is null ? null
        : Uri.TryCreate(text, UriKind.Absolute, out var url) ? url
        : throw new AsrException(AsrErrorKind.InvalidInput, "EndpointInvalid", $"--endpoint '{SecretRedactor.Redact(text)}' is not an absolute ws:// or wss:// URL.");

    /// <summary>Parses <c>--raw ENCODING:RATE:CHANNELS</c> (rate and channels default to 16000 and 1).</summary>
    public static AudioFormat? ParseRaw(string? spec)
    {
        if (string.IsNullOrWhiteSpace(spec)) return null;
        var parts = spec.Split(':');
        int rate = 16000, channels = 1;
        if (parts.Length > 3
            || (parts.Length > 1 && !int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out rate))
            || (parts.Length > 2 && !int.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out channels)))
            throw new AsrException(AsrErrorKind.InvalidInput, "RawSpecInvalid",
                $"--raw '{spec}' is not valid: expected ENCODING[:RATE[:CHANNELS]], e.g. s16le:16000:1 or mulaw:8000:2.");
        return new AudioFormat(AudioFormat.ParseEncoding(parts[0]), rate, channels);
    }

    /// <summary>Parses repeated <c>key=value</c> options.</summary>
    public static IReadOnlyDictionary<string, string> ParseOptions(string[]? values)
    {
        var d = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var v in values ?? Array.Empty<string>())
        {
            int i = v.IndexOf('=');
            if (i <= 0)
                throw new AsrException(AsrErrorKind.InvalidInput, "ProviderOptionSyntax", $"--option '{v}' is not valid: expected key=value.");
            d[v[..i].Trim()] = v[(i + 1)..];
        }
        return d;
    }

    private Command EmulateCommand()
    {
        var provider = new Option<string>("--provider", "-p") { Description = "Provider protocol to emulate.", DefaultValueFactory = _ => "voxist" };
        var port = new Option<int>("--port") { Description = "TCP port on 127.0.0.1 (0 = any free port).", DefaultValueFactory = _ => 8765 };
        var transcript = new Option<string?>("--transcript") { Description = "Sidecar JSON to replay (text, words[] with start/end in seconds)." };
        var apiKey = new Option<string?>("--api-key") { Description = "The only key to accept (default: any non-empty key)." };
        var profile = new Option<string?>("--profile")
        {
            Description = "Server behaviours, comma-separated (--list-profiles describes them): " + string.Join(", ", EmulatorProfiles.All.Select(p => p.Name)) + ".",
        };
        var list = new Option<bool>("--list-profiles") { Description = "List the server behaviours the emulator can have, and the providers each applies to." };
        var cmd = new Command("emulate", "Run a provider's emulator on loopback until Ctrl+C.") { provider, port, transcript, apiKey, profile, list };
        cmd.SetAction(async (pr, ct) =>
        {
            if (pr.GetValue(list))
            {
                foreach (var p in EmulatorProfiles.All)
                    _out.WriteLine($"{p.Name,-26}{(p.Providers is null ? "all" : string.Join(", ", p.Providers)),-10}{p.Description}");
                return ExitCodes.Ok;
            }
            var name = ProviderRegistry.Get(pr.GetValue(provider)!).Name;
            var opts = EmulatorProfiles.Apply(new EmulatorOptions { ApiKey = pr.GetValue(apiKey) }, name, pr.GetValue(profile));
            if (pr.GetValue(transcript) is { } t) opts.Script = TranscriptScript.Load(t);
            await using var server = EmulatorServer.Start(name, opts, pr.GetValue(port));
            _out.WriteLine($"Emulating {name} at {server.Endpoint} (Ctrl+C to stop)");
            if (server.Emulator is VoxNexusEmulator) _out.WriteLine($"VoxNexus TTS at ws://127.0.0.1:{server.Port}{VoxNexusEmulator.TtsPath}");
            _out.Flush();
            try { await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false); }
            catch (OperationCanceledException) { }
            foreach (var v in server.Violations) _err.WriteLine($"violation: {v}");
            return server.Violations.IsEmpty ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return cmd;
    }

    private Command ProvidersCommand()
    {
        var cmd = new Command("providers", "List the providers, their endpoints, auth, rates, languages and options.");
        cmd.SetAction(_ =>
        {
            foreach (var p in ProviderRegistry.All)
            {
                var d = p.Descriptor;
                _out.WriteLine($"{d.Name} (seed {d.SeedDocument})");
                _out.WriteLine($"  endpoints:    {string.Join(", ", d.Endpoints.Select(e => $"{e.Environment}={e.Url}"))}");
                _out.WriteLine($"  auth:         {string.Join(", ", d.AuthModes)} (default {d.DefaultAuthMode}; key from {d.ApiKeyVariable})");
                _out.WriteLine($"  sample rates: {string.Join(", ", d.SampleRates)} Hz (default {d.DefaultSampleRate})");
                _out.WriteLine($"  languages:    {string.Join(", ", d.Languages)} (default {d.DefaultLanguage})");
                if (d.Models.Count > 0) _out.WriteLine($"  models:       {string.Join(", ", d.Models)}{(d.RequiresModel ? " (required)" : "")}");
                _out.WriteLine($"  capabilities: {d.Capabilities}");
                _out.WriteLine($"  parameters:   {d.Parameters}");
                _out.WriteLine($"  audio:        {d.AudioFraming}, {d.ChunkMilliseconds} ms chunks; times in {d.WireTimeUnit} on the wire");
                _out.WriteLine($"  end:          {d.EndOfStream}");
                foreach (var o in d.Options) _out.WriteLine($"  option {o.Name} ({o.Kind}{(o.Allowed is null ? "" : ": " + string.Join("|", o.Allowed))}{(o.Default is null ? "" : ", default " + o.Default)}): {o.Description}");
            }
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
