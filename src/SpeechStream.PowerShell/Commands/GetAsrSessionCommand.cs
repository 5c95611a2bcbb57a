using System.Management.Automation;
using SpeechStream.Engine.Hosting;

namespace SpeechStream.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Lists the sessions opened in this runspace.</para>
/// <para type="description">Writes the sessions Connect-AsrSession opened in this runspace and that are not yet
/// disconnected, oldest first, with their provider, state, audio sent and summary so far. Sessions belong to the
/// runspace that opened them: ForEach-Object -Parallel and Start-Job each see their own.</para>
/// <para type="notes">Errors: none; an -Id that matches nothing writes nothing.</para>
/// </summary>
/// <example>
/// <code>Get-AsrSession | Where-Object State -eq 'Streaming'</code>
/// <para>The sessions still sending audio.</para>
/// </example>
/// <example>
/// <code>Get-AsrSession | ForEach-Object Summary</code>
/// <para>For each session: audio sent, covered, replayed, unconfirmed and lost, in seconds, and how it ended.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "AsrSession", HelpUri = HelpLinks.Online)]
[OutputType(typeof(AsrSessionInfo))]
public sealed class GetAsrSessionCommand : AsrCmdletBase
{
    /// <summary>Session ids; wildcards allowed. All of this runspace's sessions when absent.</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    public string[]? Id { get; set; }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        var patterns = (Id ?? new[] { "*" }).Select(i => new WildcardPattern(i, WildcardOptions.IgnoreCase)).ToList();
        foreach (var s in SessionRegistry.List(RunspaceId))
            if (patterns.Any(p => p.IsMatch(s.Id))) WriteObject(new AsrSessionInfo(s));
    }
}
