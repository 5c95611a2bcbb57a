using System.CommandLine;
using SpeechStream.Engine.Transcripts.Formats;

namespace SpeechStream.Cli.Commands;

/// <summary>The options of <c>speechstream listen</c>, built once per command; the order of the properties is the
/// order of <see cref="ListenCommand.Build"/>'s command, and so of its help.</summary>
internal sealed class ListenOptions
{
    /// <summary><c>--provider</c>: one provider.</summary>
    public Option<string> Provider { get; } = CliOptions.Provider(several: false);
    /// <summary><c>--language</c>.</summary>
    public Option<string?> Language { get; } = CliOptions.NotEmpty(new Option<string?>("--language", "-l") { Description = "Language code (provider default when omitted)." });
    /// <summary><c>--model</c>.</summary>
    public Option<string?> Model { get; } = new("--model", "-m") { Description = ProviderHelp.Model() };
    /// <summary><c>--device</c>.</summary>
    public Option<string?> Device { get; } = new("--device", "-d") { Description = "Capture device: on Windows a WASAPI device name or part of it (see --list-devices; default: the default microphone, followed when it changes); elsewhere the capture tool's device (ALSA device, PulseAudio source, avfoundation index)." };
    /// <summary><c>--loopback</c>.</summary>
    public Option<bool> Loopback { get; } = new("--loopback") { Description = "Capture what the computer plays (WASAPI loopback of the default output, or of --device; Windows only)." };
    /// <summary><c>--list-devices</c>.</summary>
    public Option<bool> ListDevices { get; } = new("--list-devices") { Description = "List the WASAPI microphones and outputs (* = default) and exit; off Windows, say what captures instead." };
    /// <summary><c>--duration</c>, in seconds.</summary>
    public Option<double?> Duration { get; } = CliOptions.PositiveSeconds(new Option<double?>("--duration") { Description = "Stop after this many seconds (default: until Ctrl+C)." });
    /// <summary><c>--capture-command</c>.</summary>
    public Option<string?> Capture { get; } = new("--capture-command") { Description = "A command that writes PCM to standard output (s16le 16 kHz mono, or --raw), run through the shell." };
    /// <summary><c>--raw</c>.</summary>
    public Option<string?> Raw { get; } = CliOptions.Raw("Format the capture command writes: ENCODING:RATE:CHANNELS (default s16le:16000:1).");
    /// <summary><c>--endpoint</c>.</summary>
    public Option<string?> Endpoint { get; } = CliOptions.Endpoint("Custom WebSocket URL (ws:// or wss://).");
    /// <summary><c>--api-key</c>.</summary>
    public Option<string?> ApiKey { get; } = CliOptions.ApiKey("e.g. VOXIST_API_KEY");
    /// <summary><c>--api-key-file</c>.</summary>
    public Option<string?> ApiKeyFile { get; } = CliOptions.ApiKeyFile();
    /// <summary><c>--auth</c>.</summary>
    public Option<string?> Auth { get; } = new("--auth") { Description = ProviderHelp.AuthModes() };
    /// <summary><c>--format</c>.</summary>
    public Option<string> Format { get; } = CliOptions.Choice("--format", "-f", "Output: text, csv, jsonl, srt or vtt.", "text", TranscriptWriter.Formats);
    /// <summary><c>--partials</c>.</summary>
    public Option<bool> Partials { get; } = new("--partials") { Description = "Also write partial results." };
    /// <summary><c>--option</c> key=value, repeatable.</summary>
    public Option<string[]> ProviderOptions { get; } = CliOptions.ProviderOptions("Provider option key=value (repeatable).");
    /// <summary><c>--emulate</c>.</summary>
    public Option<bool> Emulate { get; } = new("--emulate") { Description = "Run against the built-in emulator of the provider." };
    /// <summary><c>--transcript</c>: with <c>--emulate</c>, a sidecar for the emulator to replay.</summary>
    public Option<string?> Transcript { get; } = new("--transcript") { Description = "With --emulate: a sidecar JSON for the emulator to replay." };
    /// <summary><c>--verbose</c>.</summary>
    public Option<bool> Verbose { get; } = CliOptions.Verbose();
    /// <summary><c>--allow-unencrypted</c>.</summary>
    public Option<bool> Unencrypted { get; } = CliOptions.AllowUnencrypted();
}
