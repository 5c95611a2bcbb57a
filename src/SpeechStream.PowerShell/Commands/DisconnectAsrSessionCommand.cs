using System.Management.Automation;
using SpeechStream.Engine.Hosting;
using SpeechStream.Engine.Sessions;

namespace SpeechStream.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Closes sessions. Idempotent: closing a closed session does nothing.</para>
/// <para type="description">Closes the socket at once; results not yet read stay readable with Receive-AsrTranscript.
/// To let the provider finish first, send Send-AsrAudio -EndOfStream and wait with Receive-AsrTranscript -Wait.</para>
/// </summary>
/// <example><code>Get-AsrSession | Disconnect-AsrSession</code></example>
[Cmdlet(VerbsCommunications.Disconnect, "AsrSession", DefaultParameterSetName = "Session")]
[OutputType(typeof(void))]
public sealed class DisconnectAsrSessionCommand : AsrCmdletBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = "Session")]
    public AsrSession[]? Session { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = "Id")]
    public string[]? Id { get; set; }

    protected override void ProcessRecord()
    {
        var runspace = RunspaceId;
        var sessions = ParameterSetName == "Id"
            ? Id!.Select(i => SessionRegistry.Find(runspace, i)).Where(s => s is not null).Cast<AsrSession>().ToArray()
            : Session ?? Array.Empty<AsrSession>();
        foreach (var s in sessions)
            RunPumped((_, _, _) => SessionRegistry.RemoveAsync(runspace, s));
    }
}
