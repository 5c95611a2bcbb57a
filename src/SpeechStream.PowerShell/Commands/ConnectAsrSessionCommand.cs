using System.Management.Automation;
using System.Security;
using SpeechStream.Emulator;
using SpeechStream.Engine;
using SpeechStream.Engine.Diagnostics;
using SpeechStream.Engine.Hosting;
using SpeechStream.Engine.Sessions;

namespace SpeechStream.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Opens a streaming session to a provider and returns it.</para>
/// <para type="description">The session is kept for this runspace (Get-AsrSession) until Disconnect-AsrSession.
/// Send audio with Send-AsrAudio and read results with Receive-AsrTranscript.</para>
/// </summary>
/// <example><code>$s = Connect-AsrSession -Provider Voxist -Language en -Emulate</code></example>
[Cmdlet(VerbsCommunications.Connect, "AsrSession")]
[OutputType(typeof(AsrSession))]
public sealed class ConnectAsrSessionCommand : AsrCmdletBase
{
    [Parameter(Position = 0)]
    [ArgumentCompleter(typeof(ProviderNameCompleter))]
    public string Provider { get; set; } = "Voxist";

    [Parameter]
    public string? Language { get; set; }

    /// <summary>API key; when absent the provider's environment variable (e.g. VOXIST_API_KEY) is read.</summary>
    [Parameter]
    public SecureString? ApiKey { get; set; }

    [Parameter]
    public string? AuthMode { get; set; }

    [Parameter]
    [ValidateSet("Production", "Staging")]
    public string? Environment { get; set; }

    [Parameter]
    public Uri? Endpoint { get; set; }

    /// <summary>Sample rate in Hz of the PCM sent (Voxist: 16000 or 8000).</summary>
    [Parameter]
    public int? SampleRate { get; set; }

    [Parameter]
    public System.Collections.Hashtable? ProviderOption { get; set; }

    [Parameter]
    public SwitchParameter Emulate { get; set; }

    protected override void EndProcessing()
    {
        var key = ToSecret(ApiKey);
        var options = ToOptions(ProviderOption);
        var runspace = RunspaceId;
        try
        {
            RunPumped(async (pump, lf, ct) =>
            {
                EmulatorServer? emulator = Emulate ? EmulatorHost.StartForFile(Provider, null) : null;
                try
                {
                    var session = await AsrSession.ConnectAsync(new SessionOptions
                    {
                        Provider = Provider,
                        Language = Language,
                        ApiKey = emulator is not null ? new Secret(EmulatorHost.ApiKey) : key,
                        AuthMode = AuthMode,
                        Environment = Environment,
                        Endpoint = emulator?.Endpoint ?? Endpoint,
                        SampleRate = SampleRate,
                        ProviderOptions = options,
                        Source = "session",
                    }, lf, null, ct).ConfigureAwait(false);
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
