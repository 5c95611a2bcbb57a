using System.CommandLine;
using SpeechStream.Emulator;
using SpeechStream.Engine;
using SpeechStream.Engine.Audio;
using SpeechStream.Engine.Audio.Capture;
using SpeechStream.Engine.Diagnostics;
using SpeechStream.Engine.Jobs;
using SpeechStream.Engine.Providers;
using SpeechStream.Engine.Sessions;
using SpeechStream.Engine.Transcripts.Formats;

namespace SpeechStream.Cli.Commands;

/// <summary><c>speechstream listen</c>: the microphone (WASAPI on Windows, a capture tool elsewhere, or a capture command)
/// until Ctrl+C or --duration; <c>--list-devices</c> lists the WASAPI devices.</summary>
internal static class ListenCommand
{
    public static readonly string[] Examples =
    {
        "speechstream listen --emulate --duration 10",
        "speechstream listen --list-devices",
        "speechstream listen -p voxnexus --device USB -f jsonl",
        "speechstream listen --loopback --duration 60 -f srt",
        "speechstream listen --capture-command 'sox -d -t raw -r 16000 -e signed -b 16 -c 1 -' -f text",
    };

    public static Command Build(CliContext ctx)
    {
        var provider = CliOptions.Provider(several: false);
        var language = CliOptions.NotEmpty(new Option<string?>("--language", "-l") { Description = "Language code (provider default when omitted)." });
        var model = new Option<string?>("--model", "-m") { Description = ProviderHelp.Model() };
        var device = new Option<string?>("--device", "-d") { Description = "Capture device: on Windows a WASAPI device name or part of it (see --list-devices; default: the default microphone, followed when it changes); elsewhere the capture tool's device (ALSA device, PulseAudio source, avfoundation index)." };
        var loopback = new Option<bool>("--loopback") { Description = "Capture what the computer plays (WASAPI loopback of the default output, or of --device; Windows only)." };
        var listDevices = new Option<bool>("--list-devices") { Description = "List the WASAPI microphones and outputs (* = default) and exit; off Windows, say what captures instead." };
        var duration = CliOptions.PositiveSeconds(new Option<double?>("--duration") { Description = "Stop after this many seconds (default: until Ctrl+C)." });
        var capture = new Option<string?>("--capture-command") { Description = "A command that writes PCM to standard output (s16le 16 kHz mono, or --raw), run through the shell." };
        var raw = CliOptions.Raw("Format the capture command writes: ENCODING:RATE:CHANNELS (default s16le:16000:1).");
        var endpoint = CliOptions.Endpoint("Custom WebSocket URL (ws:// or wss://).");
        var apiKey = CliOptions.ApiKey("e.g. VOXIST_API_KEY");
        var apiKeyFile = CliOptions.ApiKeyFile();
        var auth = new Option<string?>("--auth") { Description = ProviderHelp.AuthModes() };
        var format = CliOptions.Choice("--format", "-f", "Output: text, csv, jsonl, srt or vtt.", "text", TranscriptWriter.Formats);
        var partials = new Option<bool>("--partials") { Description = "Also write partial results." };
        var options = CliOptions.ProviderOptions("Provider option key=value (repeatable).");
        var emulate = new Option<bool>("--emulate") { Description = "Run against the built-in emulator of the provider." };
        var transcript = new Option<string?>("--transcript") { Description = "With --emulate: a sidecar JSON for the emulator to replay." };
        var verbose = CliOptions.Verbose();
        var unencrypted = CliOptions.AllowUnencrypted();
        var cmd = new Command("listen", "Transcribe the microphone until Ctrl+C or --duration; one row per final result.")
        {
            provider, language, model, device, loopback, listDevices, duration, capture, raw, endpoint, apiKey, apiKeyFile, auth, format, partials, options, emulate, transcript, verbose, unencrypted,
        };
        cmd.SetAction(async (pr, ct) =>
        {
            if (pr.GetValue(listDevices)) return DeviceListing.Write(ctx.Out, ctx.Err, CaptureBackends.ForThisPlatform());
            var name = ProviderRegistry.Get(pr.GetValue(provider)!).Name;
            Uri? url = CliOptions.ParseEndpoint(pr.GetValue(endpoint));
            var rawFormat = CliOptions.ParseRaw(pr.GetValue(raw));
            var command = pr.GetValue(capture) is { Length: > 0 } c ? MicrophoneCapture.FromCommandLine(c, rawFormat) : null;
            var key = await ctx.ReadKeyAsync(pr.GetValue(apiKey), pr.GetValue(apiKeyFile), pr.GetValue(verbose), ct).ConfigureAwait(false);
            await using var emulator = pr.GetValue(emulate) ? EmulatorHost.StartForFile(name, null, pr.GetValue(transcript)) : null;
            var session = new SessionOptions
            {
                Provider = name, Language = pr.GetValue(language), Model = pr.GetValue(model), AuthMode = pr.GetValue(auth),
                ApiKey = emulator is not null ? new Secret(EmulatorHost.ApiKey) : key,
                Endpoint = emulator?.Endpoint ?? url, ProviderOptions = CliOptions.ParseOptions(pr.GetValue(options)), AllowUnencrypted = pr.GetValue(unencrypted),
            };
            using var lf = ctx.CreateLoggerFactory(pr.GetValue(verbose));
            var writer = TranscriptWriter.Create(pr.GetValue(format)!, ctx.Out);
            ctx.Listening = true;
            try
            {
                var summary = await MicrophoneTranscriber.RunAsync(new MicrophoneRequest
                {
                    Session = session, Capture = command, Device = pr.GetValue(device), Loopback = pr.GetValue(loopback),
                    Duration = pr.GetValue(duration) is double s ? TimeSpan.FromSeconds(s) : null, IncludePartials = pr.GetValue(partials),
                }, writer.Write, lf, ctx.GracefulStop.Token, ct).ConfigureAwait(false);
                if (summary.IsWhole) return ExitCodes.Ok;
                ctx.Err.WriteLine($"speechstream: transcript incomplete: {summary.Describe()}");
                return ExitCodes.Incomplete;
            }
            finally
            {
                ctx.Listening = false;
                writer.Complete(); // the last subtitle cue too, whatever ended the capture
            }
        });
        return cmd;
    }
}
