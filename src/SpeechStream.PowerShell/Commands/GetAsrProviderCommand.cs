using System.Management.Automation;
using SpeechStream.Engine.Providers;

namespace SpeechStream.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Describes the providers: endpoints, auth modes, key variable, sample rates, languages, models, options and capabilities.</para>
/// <para type="description">Writes one description per provider, from the provider's protocol document as the module
/// reads it: the named endpoints (-Environment), the auth modes (-AuthMode), the environment variable read for the
/// key, the sample rates, languages and models it takes, its options (-ProviderOption), what it can return
/// (partial results, word times, diarization), the chunk size it recommends, how the stream ends and the seed
/// document it comes from.</para>
/// <para type="notes">Errors: ProviderNotFound (ObjectNotFound, not terminating) for a -Name without wildcards that
/// names no provider, listing the providers, as Get-Command does for an unknown name; a wildcard that matches nothing
/// writes nothing.</para>
/// </summary>
/// <example>
/// <code>Get-AsrProvider</code>
/// <para>Every provider, one row each.</para>
/// </example>
/// <example>
/// <code>Get-AsrProvider Voxist | Select-Object -ExpandProperty Options</code>
/// <para>The options Voxist takes through -ProviderOption, with their defaults.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "AsrProvider", HelpUri = HelpLinks.Online)]
[OutputType(typeof(ProviderDescriptor))]
public sealed class GetAsrProviderCommand : AsrCmdletBase
{
    /// <summary>Provider names; wildcards allowed. All providers when absent.</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ProviderNameCompleter))]
    public string[]? Name { get; set; }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        var patterns = (Name ?? new[] { "*" }).Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
        foreach (var p in ProviderRegistry.All)
            if (patterns.Any(x => x.IsMatch(p.Name))) WriteObject(p.Descriptor);
        foreach (var name in Name ?? Array.Empty<string>())
        {
            if (WildcardPattern.ContainsWildcardCharacters(name)
                || ProviderRegistry.Names.Contains(name, StringComparer.OrdinalIgnoreCase)) continue;
            var e = new ItemNotFoundException(
                $"Cannot find a provider named '{name}': expected one of {string.Join(", ", ProviderRegistry.Names)}.");
            WriteError(new ErrorRecord(e, "ProviderNotFound", ErrorCategory.ObjectNotFound, name));
        }
    }
}
