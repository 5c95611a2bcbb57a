using System.CommandLine;
using SpeechStream.Emulator;
using SpeechStream.Engine.Providers.VoxNexus;

namespace SpeechStream.Cli.Commands;

/// <summary><c>speechstream speak</c>: VoxNexus text-to-speech into a WAV file.</summary>
internal static class SpeakCommand
{
    public static readonly string[] Examples =
    {
        "speechstream speak 'Hello there' -o hello.wav --emulate",
        "echo 'Bonjour' | speechstream speak -o bonjour.wav --voice vl-denise --language fr-FR",
    };

    public static Command Build(CliContext ctx)
    {
        var text = new Argument<string[]>("text") { Description = "Text to speak; none or '-' reads standard input (one piece per line).", Arity = ArgumentArity.ZeroOrMore };
        var output = new Option<string>("--out", "-o") { Description = "WAV file to write.", Required = true };
        var voice = new Option<string?>("--voice") { Description = "voice_id, e.g. vl-xiaoxiao." };
        var language = CliOptions.NotEmpty(new Option<string?>("--language", "-l") { Description = "Language, e.g. zh-CN, en-US." });
        var rate = new Option<int>("--sample-rate") { Description = "Sample rate in Hz.", DefaultValueFactory = _ => 16000 };
        var speed = new Option<double?>("--speed") { Description = "Speaking rate (1.0 = normal)." };
        var pitch = new Option<double?>("--pitch") { Description = "Pitch (0 = normal)." };
        var volume = new Option<double?>("--volume") { Description = "Volume (1.0 = normal)." };
        var style = new Option<string?>("--style") { Description = "voice_config.style, e.g. cheerful." };
        var role = new Option<string?>("--role") { Description = "voice_config.role, e.g. Girl." };
        var degree = new Option<double?>("--degree") { Description = "voice_config.degree (style intensity)." };
        var endpoint = CliOptions.Endpoint("Custom TTS WebSocket URL.");
        var apiKey = CliOptions.ApiKey("VOXNEXUS_API_KEY");
        var apiKeyFile = CliOptions.ApiKeyFile();
        var auth = new Option<string?>("--auth") { Description = "token (query, default) or header (X-Api-Key)." };
        var emulate = new Option<bool>("--emulate") { Description = "Run against the built-in VoxNexus emulator." };
        var verbose = CliOptions.Verbose();
        var unencrypted = CliOptions.AllowUnencrypted();
        var cmd = new Command("speak", "Synthesise speech with VoxNexus TTS into a WAV file.")
        {
            text, output, voice, language, rate, speed, pitch, volume, style, role, degree, endpoint, apiKey, apiKeyFile, auth, emulate, verbose, unencrypted,
        };
        cmd.SetAction(async (pr, ct) =>
        {
            var pieces = pr.GetValue(text) ?? Array.Empty<string>();
            bool fromStdin = pieces.Length == 0 || (pieces.Length == 1 && pieces[0] == "-");
            if (fromStdin && pr.GetValue(apiKey) == "-")
                throw new Engine.AsrException(Engine.AsrErrorKind.InvalidInput, "ApiKeyStdinTaken", "--api-key - and the text both read standard input: give the text as arguments, or the key with --api-key-file.");
            var key = await ctx.ReadKeyAsync(pr.GetValue(apiKey), pr.GetValue(apiKeyFile), pr.GetValue(verbose), ct).ConfigureAwait(false);
            if (fromStdin)
                pieces = (await ctx.StdinText.ReadToEndAsync(ct).WaitAsync(ct).ConfigureAwait(false)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Uri? url = CliOptions.ParseEndpoint(pr.GetValue(endpoint));
            using var lf = ctx.CreateLoggerFactory(pr.GetValue(verbose));
            var result = await SpeechEmulation.SynthesizeAsync(new SpeechRequest
            {
                Texts = pieces, OutFile = pr.GetValue(output)!, Voice = pr.GetValue(voice), Language = pr.GetValue(language),
                SampleRate = pr.GetValue(rate), Speed = pr.GetValue(speed), Pitch = pr.GetValue(pitch), Volume = pr.GetValue(volume),
                Style = pr.GetValue(style), Role = pr.GetValue(role), Degree = pr.GetValue(degree),
                ApiKey = key, AuthMode = pr.GetValue(auth), AllowUnencrypted = pr.GetValue(unencrypted), Endpoint = url,
            }, pr.GetValue(emulate), lf, ct).ConfigureAwait(false);
            ctx.Out.WriteLine(FormattableString.Invariant($"{result.Path}: {result.DurationSeconds:0.00} s, {result.SampleRate} Hz, {result.Channels} channel(s), {result.BitsPerSample}-bit PCM, {result.Chunks} chunk(s)"));
            ctx.Out.Flush();
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
