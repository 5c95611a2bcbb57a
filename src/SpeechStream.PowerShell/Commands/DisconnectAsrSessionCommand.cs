using System.Management.Automation;
using SpeechStream.Engine.Hosting;
using SpeechStream.Engine.Sessions;

namespace SpeechStream.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Closes sessions.</para>
/// <para type="description">Closes each session's connection at once (with a close frame) and forgets it; results not
/// yet read stay readable with Receive-AsrTranscript on the object you hold. Idempotent: closing a closed session does
/// nothing. To let the provider finish first, send Send-AsrAudio -EndOfStream and wait with Receive-AsrTranscript
/// -Wait.</para>
/// <para type="notes">Errors: none; an unknown -Id is ignored.</para>
/// </summary>
/// <example>
/// <code>Get-AsrSession | Disconnect-AsrSession</code>
/// <para>Closes every session of this runspace.</para>
/// </example>
/// <example>
/// <code>Disconnect-AsrSession -Id 3f9c2a</code>
/// <para>Closes one session by its id.</para>
/// </example>
[Cmdlet(VerbsCommunications.Disconnect, "AsrSession", DefaultParameterSetName = "Session", HelpUri = HelpLinks.Online)]
[OutputType(typeof(void))]
public sealed class DisconnectAsrSessionCommand : AsrCmdletBase
{
    /// <summary>The sessions to close, e.g. from Get-AsrSession through the pipeline.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = "Session")]
    public AsrSessionInfo[]? Session { get; set; }

    /// <summary>The ids of the sessions to close (see Get-AsrSession).</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Id")]
    public string[]? Id { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var runspace = RunspaceId;
        var sessions = ParameterSetName == "Id"
            ? Id!.Select(i => SessionRegistry.Find(runspace, i)).Where(s => s is not null).Cast<AsrSession>().ToArray()
            : (Session ?? Array.Empty<AsrSessionInfo>()).Select(i => i.Session).ToArray();
        foreach (var s in sessions)
            RunPumped((_, _, _) => SessionRegistry.RemoveAsync(runspace, s));
    }
}
