using System.Management.Automation;
using SpeechStream.Emulator;
using SpeechStream.Engine;
using SpeechStream.Engine.Hosting;
using SpeechStream.Engine.Sessions;

namespace SpeechStream.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Opens a streaming session to a provider and returns it.</para>
/// <para type="description">The session is kept for this runspace (Get-AsrSession) until Disconnect-AsrSession.
/// Send audio with Send-AsrAudio and read results with Receive-AsrTranscript.</para>
/// </summary>
/// <example><code>$s = Connect-AsrSession -Provider Voxist -Language en -Emulate</code></example>
/// <example><code>$s = Connect-AsrSession Speechall -Model deepgram.nova-2 -ApiKey (Get-Secret Speechall)</code></example>
[Cmdlet(VerbsCommunications.Connect, "AsrSession")]
[OutputType(typeof(AsrSession))]
public sealed class ConnectAsrSessionCommand : AsrConnectingCmdletBase
{
    [Parameter(Position = 0)]
    [ArgumentCompleter(typeof(ProviderNameCompleter))]
    public string Provider { get; set; } = "Voxist";

    /// <summary>Sample rate in Hz of the PCM sent (see Get-AsrProvider for each provider's rates).</summary>
    [Parameter]
    public int? SampleRate { get; set; }

    protected override void EndProcessing()
    {
        var runspace = RunspaceId;
        var options = BuildSessionOptions(Provider, SampleRate).With(source: "session");
        try
        {
            RunPumped(async (pump, lf, ct) =>
            {
                EmulatorServer? emulator = Emulate ? EmulatorHost.StartForFile(Provider, null) : null;
                try
                {
                    var session = await AsrSession.ConnectAsync(emulator is null ? options : ForEmulator(options, emulator), lf, null, ct).ConfigureAwait(false);
                    SessionRegistry.Add(runspace, session, emulator);
                    pump.Output(session);
                }
                catch
                {
                    if (emulator is not null) await emulator.DisposeAsync().ConfigureAwait(false);
                    throw;
                }
            });
        }
        catch (AsrException e)
        {
            ThrowTerminatingError(ToErrorRecord(e, Provider));
        }
        catch (OperationCanceledException) { }
    }
}
