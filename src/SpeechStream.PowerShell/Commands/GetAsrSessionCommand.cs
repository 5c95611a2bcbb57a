using System.Management.Automation;
using SpeechStream.Engine.Hosting;
using SpeechStream.Engine.Sessions;

namespace SpeechStream.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Lists the sessions opened in this runspace.</para>
/// </summary>
/// <example><code>Get-AsrSession | Where-Object State -eq 'Streaming'</code></example>
[Cmdlet(VerbsCommon.Get, "AsrSession")]
[OutputType(typeof(AsrSession))]
public sealed class GetAsrSessionCommand : AsrCmdletBase
{
    [Parameter(Position = 0)]
    [SupportsWildcards]
    public string[]? Id { get; set; }

    protected override void EndProcessing()
    {
        var patterns = (Id ?? new[] { "*" }).Select(i => new WildcardPattern(i, WildcardOptions.IgnoreCase)).ToList();
        foreach (var s in SessionRegistry.List(RunspaceId))
            if (patterns.Any(p => p.IsMatch(s.Id))) WriteObject(s);
    }
}
