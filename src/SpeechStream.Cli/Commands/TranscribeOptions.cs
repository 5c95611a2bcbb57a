using System.CommandLine;
using SpeechStream.Engine.Providers;
using SpeechStream.Engine.Transcripts.Formats;

namespace SpeechStream.Cli.Commands;

/// <summary>The argument and options of <c>speechstream transcribe</c>, built once per command; the order of the
/// properties is the order of <see cref="TranscribeCommand.Build"/>'s command, and so of its help.</summary>
internal sealed class TranscribeOptions
{
    /// <summary>The input files, or '-' for standard input.</summary>
    public Argument<string[]> Files { get; } = new("file")
    {
        Description = "Audio files: WAV (RF64 too); MP3, FLAC, Ogg, M4A, WebM… through ffmpeg; raw PCM with --raw; '-' for standard input.",
        Arity = ArgumentArity.OneOrMore,
    };
    /// <summary><c>--provider</c>: one provider or several, comma-separated.</summary>
    public Option<string> Provider { get; } = CliOptions.Provider(several: true);
    /// <summary><c>--language</c>.</summary>
    public Option<string?> Language { get; } = CliOptions.NotEmpty(new Option<string?>("--language", "-l") { Description = "Language code (provider default when omitted)." });
    /// <summary><c>--model</c>.</summary>
    public Option<string?> Model { get; } = new("--model", "-m") { Description = ProviderHelp.Model() + " With several providers, it goes to those that take a model." };
    /// <summary><c>--word-timestamps</c>.</summary>
    public Option<bool?> WordTimes { get; } = CliOptions.Flag("--word-timestamps", $"Ask for word times ({ProviderHelp.Taking(CommonParameters.WordTimestamps)});");
    /// <summary><c>--diarize</c>.</summary>
    public Option<bool?> Diarize { get; } = CliOptions.Flag("--diarize", $"Speaker diarization ({ProviderHelp.Taking(CommonParameters.Diarize)});");
    /// <summary><c>--vocabulary</c>, repeatable.</summary>
    public Option<string[]> Vocabulary { get; } = new("--vocabulary") { Description = $"Custom vocabulary word or phrase ({ProviderHelp.Taking(CommonParameters.Vocabulary)}); repeatable." };
    /// <summary><c>--endpoint</c>.</summary>
    public Option<string?> Endpoint { get; } = CliOptions.Endpoint("Custom WebSocket URL (ws:// or wss://).");
    /// <summary><c>--api-key</c>.</summary>
    public Option<string?> ApiKey { get; } = CliOptions.ApiKey("e.g. VOXIST_API_KEY");
    /// <summary><c>--api-key-file</c>.</summary>
    public Option<string?> ApiKeyFile { get; } = CliOptions.ApiKeyFile();
    /// <summary><c>--auth</c>.</summary>
    public Option<string?> Auth { get; } = new("--auth") { Description = ProviderHelp.AuthModes() };
    /// <summary><c>--environment</c>.</summary>
    public Option<string?> Environment { get; } = new("--environment") { Description = "Named endpoint of the provider, e.g. production (each provider's: 'speechstream providers')." };
    /// <summary><c>--format</c>.</summary>
    public Option<string> Format { get; } = CliOptions.Choice("--format", "-f", "Output: text, csv, jsonl, srt or vtt (subtitles from the final results).", "text", TranscriptWriter.Formats);
    /// <summary><c>--partials</c>.</summary>
    public Option<bool> Partials { get; } = new("--partials") { Description = "Also write partial results (not in subtitles)." };
    /// <summary><c>--speed</c>.</summary>
    public Option<string> Speed { get; } = CliOptions.Speed();
    /// <summary><c>--emulate</c>.</summary>
    public Option<bool> Emulate { get; } = new("--emulate") { Description = "Run against the built-in emulator of the provider (no account needed)." };
    /// <summary><c>--emulator-profile</c>.</summary>
    public Option<string?> Profile { get; } = new("--emulator-profile") { Description = "With --emulate: server behaviours to emulate, comma-separated (see 'speechstream emulate --list-profiles'), e.g. realtime,close-1001." };
    /// <summary><c>--verbose</c>.</summary>
    public Option<bool> Verbose { get; } = CliOptions.Verbose();
    /// <summary><c>--raw</c>.</summary>
    public Option<string?> Raw { get; } = CliOptions.Raw("Headerless input: ENCODING:RATE:CHANNELS, e.g. s16le:16000:1, mulaw:8000:1.");
    /// <summary><c>--channels</c>.</summary>
    public Option<string> Channels { get; } = CliOptions.Choice("--channels", "-c", "mix (default), left, right, or split: one session per channel of a stereo call, merged in time order, each row labelled.", "mix", new[] { "mix", "left", "right", "split" });
    /// <summary><c>--chunk-ms</c>.</summary>
    public Option<int?> Chunk { get; } = CliOptions.WholeNumber(new Option<int?>("--chunk-ms") { Description = "Chunk size in milliseconds, 10 to 1000 (default: the provider's recommendation)." }, 10, 1000);
    /// <summary><c>--drain-timeout</c>, in seconds.</summary>
    public Option<double> Drain { get; } = CliOptions.Seconds(new Option<double>("--drain-timeout") { Description = "Seconds to wait, after the audio, for the provider's completion since its last result: 1 to 600 (default 30).", DefaultValueFactory = _ => 30 }, 1, 600);
    /// <summary><c>--completion-grace</c>, in seconds.</summary>
    public Option<double> Grace { get; } = CliOptions.Seconds(new Option<double>("--completion-grace") { Description = "Seconds to read on after a completion message, for results sent just after it: 0 to 10 (default 0.5).", DefaultValueFactory = _ => 0.5 }, 0, 10);
    /// <summary><c>--option</c> key=value, repeatable.</summary>
    public Option<string[]> ProviderOptions { get; } = CliOptions.ProviderOptions("Provider option key=value (repeatable; see 'speechstream providers').");
    /// <summary><c>--allow-unencrypted</c>.</summary>
    public Option<bool> Unencrypted { get; } = CliOptions.AllowUnencrypted();
    /// <summary><c>--parallel</c>.</summary>
    public Option<int> Parallel { get; } = CliOptions.WholeNumber(new Option<int>("--parallel", "-j") { Description = "Inputs transcribed at once, each with all its providers: 1 to 256 (default 1).", DefaultValueFactory = _ => 1 }, 1, 256);
    /// <summary><c>--output-dir</c>.</summary>
    public Option<string?> OutputDir { get; } = new("--output-dir") { Description = "Write one file per input there (<name>.<format>, text as .txt), atomically; an incomplete transcript is named <name>.incomplete.<format>." };
    /// <summary><c>--skip-existing</c>.</summary>
    public Option<bool> Skip { get; } = new("--skip-existing") { Description = "With --output-dir: skip inputs whose whole transcript is already there (resume a batch)." };
    /// <summary><c>--shard</c> K/N.</summary>
    public Option<string?> Shard { get; } = CliOptions.Shard();
    /// <summary><c>--quiet</c>.</summary>
    public Option<bool> Quiet { get; } = new("--quiet", "-q") { Description = "No progress line and no summary on stderr (errors and warnings still)." };
}
