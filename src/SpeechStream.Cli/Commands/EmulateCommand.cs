using System.CommandLine;
using SpeechStream.Emulator;
using SpeechStream.Engine.Providers;

namespace SpeechStream.Cli.Commands;

/// <summary><c>speechstream emulate</c>: a provider's emulator on loopback, with server behaviours (profiles).</summary>
internal static class EmulateCommand
{
    public static readonly string[] Examples =
    {
        "speechstream emulate -p voxist --port 8765",
        "speechstream emulate -p iapp --profile close-1006,realtime",
        "speechstream emulate --list-profiles",
    };

    public static Command Build(CliContext ctx)
    {
        var provider = CliOptions.Provider(several: false);
        provider.Description = "Provider protocol to emulate.";
        var port = CliOptions.WholeNumber(new Option<int>("--port") { Description = "TCP port on 127.0.0.1, 0 to 65535 (0 = any free port).", DefaultValueFactory = _ => 8765 }, 0, 65535);
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
                    ctx.Out.WriteLine($"{p.Name,-26}{(p.Providers is null ? "all" : string.Join(", ", p.Providers)),-10}{p.Description}");
                ctx.Out.Flush();
                return ExitCodes.Ok;
            }
            var name = ProviderRegistry.Get(pr.GetValue(provider)!).Name;
            var opts = EmulatorProfiles.Apply(new EmulatorOptions { ApiKey = pr.GetValue(apiKey) }, name, pr.GetValue(profile));
            if (pr.GetValue(transcript) is { } t) opts.Script = TranscriptScript.Load(t);
            await using var server = EmulatorServer.Start(name, opts, pr.GetValue(port));
            ctx.Out.WriteLine($"Emulating {name} at {server.Endpoint} (Ctrl+C to stop)");
            foreach (var (what, path) in server.Emulator.OtherEndpoints) ctx.Out.WriteLine($"{what} at ws://127.0.0.1:{server.Port}{path}");
            ctx.Out.Flush();
            try { await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false); }
            catch (OperationCanceledException) { }
            foreach (var v in server.Violations) ctx.Err.WriteLine($"violation: {v}");
            return server.Violations.IsEmpty ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return cmd;
    }
}
