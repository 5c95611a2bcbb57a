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
        var o = new ListenOptions();
        var cmd = new Command("listen", "Transcribe the microphone until Ctrl+C or --duration; one row per final result.")
        {
            o.Provider, o.Language, o.Model, o.Device, o.Loopback, o.ListDevices, o.Duration, o.Capture, o.Raw, o.Endpoint, o.ApiKey, o.ApiKeyFile, o.Auth, o.Format, o.Partials, o.ProviderOptions, o.Emulate, o.Transcript, o.Verbose, o.Unencrypted,
        };
        cmd.SetAction((pr, ct) => RunAsync(ctx, o, pr, ct));
        return cmd;
    }

    /// <summary>The command's action: lists the devices, or checks the options, starts the emulator when asked, and
    /// transcribes the capture until Ctrl+C or <c>--duration</c>.</summary>
    /// <returns>Ok for a whole transcript, Incomplete (after saying why on stderr) otherwise.</returns>
    private static async Task<int> RunAsync(CliContext ctx, ListenOptions o, ParseResult pr, CancellationToken ct)
    {
        if (pr.GetValue(o.ListDevices)) return DeviceListing.Write(ctx.Out, ctx.Err, CaptureBackends.ForThisPlatform());
        var name = ProviderRegistry.Get(pr.GetValue(o.Provider)!).Name;
        Uri? url = CliOptions.ParseEndpoint(pr.GetValue(o.Endpoint));
        var rawFormat = CliOptions.ParseRaw(pr.GetValue(o.Raw));
        var command = pr.GetValue(o.Capture) is { Length: > 0 } c ? MicrophoneCapture.FromCommandLine(c, rawFormat) : null;
        var key = await ctx.ReadKeyAsync(pr.GetValue(o.ApiKey), pr.GetValue(o.ApiKeyFile), pr.GetValue(o.Verbose), ct).ConfigureAwait(false);
        await using var emulator = pr.GetValue(o.Emulate) ? EmulatorHost.StartForFile(name, null, pr.GetValue(o.Transcript)) : null;
        var session = new SessionOptions
        {
            Provider = name, Language = pr.GetValue(o.Language), Model = pr.GetValue(o.Model), AuthMode = pr.GetValue(o.Auth),
            ApiKey = emulator is not null ? new Secret(EmulatorHost.ApiKey) : key,
            Endpoint = emulator?.Endpoint ?? url, ProviderOptions = CliOptions.ParseOptions(pr.GetValue(o.ProviderOptions)), AllowUnencrypted = pr.GetValue(o.Unencrypted),
        };
        using var lf = ctx.CreateLoggerFactory(pr.GetValue(o.Verbose));
        var writer = TranscriptWriter.Create(pr.GetValue(o.Format)!, ctx.Out);
        ctx.Listening = true;
        try
        {
            var summary = await MicrophoneTranscriber.RunAsync(new MicrophoneRequest
            {
                Session = session, Capture = command, Device = pr.GetValue(o.Device), Loopback = pr.GetValue(o.Loopback),
                Duration = pr.GetValue(o.Duration) is double s ? TimeSpan.FromSeconds(s) : null, IncludePartials = pr.GetValue(o.Partials),
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
    }
}
