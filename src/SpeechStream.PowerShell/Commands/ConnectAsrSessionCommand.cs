using SpeechStream.Engine.Providers;
using System.Management.Automation;
using SpeechStream.Emulator;
using SpeechStream.Engine;
using SpeechStream.Engine.Hosting;
using SpeechStream.Engine.Sessions;

namespace SpeechStream.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Opens a streaming session to a provider and returns it.</para>
/// <para type="description">Connects (with the provider's handshake and auth), keeps the session for this runspace
/// (Get-AsrSession) until Disconnect-AsrSession, and returns it. Send audio with Send-AsrAudio, end it with
/// Send-AsrAudio -EndOfStream, and read results with Receive-AsrTranscript. The session reconnects on its own after a
/// transient close and replays the audio no final has covered yet.</para>
/// <para type="notes">Errors: a refused key, a setting the provider refuses, or a connection that cannot be made after
/// the retries are terminating (no session is returned). Ctrl+C cancels the connection.</para>
/// </summary>
/// <example>
/// <code>$s = Connect-AsrSession -Provider Voxist -Language en -Emulate</code>
/// <para>A session against the built-in Voxist emulator.</para>
/// </example>
/// <example>
/// <code>$s = Connect-AsrSession Speechall -Model deepgram.nova-2 -ApiKey (Get-Secret Speechall)</code>
/// <para>A Speechall session with a key from SecretManagement.</para>
/// </example>
[Cmdlet(VerbsCommunications.Connect, "AsrSession", HelpUri = HelpLinks.Online)]
[OutputType(typeof(AsrSessionInfo))]
public sealed class ConnectAsrSessionCommand : AsrConnectingCmdletBase
{
    /// <summary>The provider (Voxist when absent); Get-AsrProvider lists them, and the name tab-completes.</summary>
    [Parameter(Position = 0)]
    [ArgumentCompleter(typeof(ProviderNameCompleter))]
    public string Provider { get; set; } = ProviderRegistry.DefaultProvider;

    /// <summary>Sample rate in Hz of the PCM sent (see Get-AsrProvider for each provider's rates).</summary>
    [Parameter]
    public int? SampleRate { get; set; }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        var runspace = RunspaceId;
        var options = BuildSessionOptions(Provider, SampleRate).With(source: "session");
        try
        {
            RunPumped(async (pump, lf, ct) =>
            {
                EmulatorServer? emulator = StartEmulator(Provider);
                try
                {
                    var session = await AsrSession.ConnectAsync(emulator is null ? options : ForEmulator(options, emulator), lf, null, ct).ConfigureAwait(false);
                    SessionRegistry.Add(runspace, session, emulator);
                    pump.Output(new AsrSessionInfo(session));
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
