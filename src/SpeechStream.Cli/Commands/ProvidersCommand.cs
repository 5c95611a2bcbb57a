using System.CommandLine;
using SpeechStream.Engine.Providers;

namespace SpeechStream.Cli.Commands;

/// <summary><c>speechstream providers</c>: what each provider takes.</summary>
internal static class ProvidersCommand
{
    public static readonly string[] Examples = { "speechstream providers" };

    public static Command Build(CliContext ctx)
    {
        var cmd = new Command("providers", "List the providers, their endpoints, auth, rates, languages and options.");
        cmd.SetAction(_ =>
        {
            var o = ctx.Out;
            foreach (var p in ProviderRegistry.All)
            {
                var d = p.Descriptor;
                o.WriteLine($"{d.Name}{(d.Name == ProviderRegistry.DefaultProvider ? " (the default provider)" : "")} (seed {d.SeedDocument})");
                o.WriteLine($"  endpoints:    {string.Join(", ", d.Endpoints.Select(e => $"{e.Environment}={e.Url}"))}");
                o.WriteLine($"  auth:         {string.Join(", ", d.AuthModes)} (default {d.DefaultAuthMode}; key from {d.ApiKeyVariable})");
                o.WriteLine($"  sample rates: {string.Join(", ", d.SampleRates)} Hz (default {d.DefaultSampleRate})");
                o.WriteLine($"  languages:    {string.Join(", ", d.Languages)} (default {d.DefaultLanguage}; " +
                    (d.LanguagesClosed ? $"no other{(d.LanguageAliases.Count > 0 ? ", besides " + string.Join(", ", d.LanguageAliases) : "")})" : "others sent as given)"));
                if (d.Models.Count > 0) o.WriteLine($"  models:       {string.Join(", ", d.Models)}{(d.RequiresModel ? " (required)" : "")}");
                o.WriteLine($"  capabilities: {d.Capabilities}");
                o.WriteLine($"  parameters:   {d.Parameters}");
                o.WriteLine($"  audio:        {d.AudioFraming}, {d.ChunkMilliseconds} ms chunks; times in {d.WireTimeUnit.ToString().ToLowerInvariant()} on the wire");
                o.WriteLine($"  end:          {d.EndOfStream}");
                foreach (var opt in d.Options) o.WriteLine($"  option {opt.Name} ({opt.Kind.ToString().ToLowerInvariant()}{(opt.Allowed is null ? "" : ": " + string.Join("|", opt.Allowed))}{(opt.Default is null ? "" : ", default " + opt.Default)}): {opt.Description}");
            }
            o.Flush();
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
