using System.Management.Automation;
using SpeechStream.Engine.Providers;

namespace SpeechStream.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Describes the providers: endpoints, auth modes, key variable, sample rates, languages, options and capabilities.</para>
/// </summary>
/// <example><code>Get-AsrProvider Voxist | Select-Object -ExpandProperty Options</code></example>
[Cmdlet(VerbsCommon.Get, "AsrProvider")]
[OutputType(typeof(ProviderDescriptor))]
public sealed class GetAsrProviderCommand : AsrCmdletBase
{
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ProviderNameCompleter))]
    public string[]? Name { get; set; }

    protected override void EndProcessing()
    {
        var patterns = (Name ?? new[] { "*" }).Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
        foreach (var p in ProviderRegistry.All)
            if (patterns.Any(x => x.IsMatch(p.Name))) WriteObject(p.Descriptor);
    }
}
