using System.Management.Automation;
using System.Security;
using SpeechStream.Emulator;
using SpeechStream.Engine;
using SpeechStream.Engine.Diagnostics;
using SpeechStream.Engine.Jobs;
using SpeechStream.Engine.Sessions;
using SpeechStream.Engine.Transcripts;

namespace SpeechStream.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Transcribes audio files and writes one Transcript per final result as it arrives.</para>
/// <para type="description">Streams each file through one session (paced at real time unless -Speed says
/// otherwise) and writes the provider's final results to the pipeline. With -Emulate, runs against the
/// built-in emulator of the provider, replaying the file's sidecar JSON transcript when there is one.</para>
/// </summary>
/// <example><code>Get-ChildItem *.wav | Invoke-AsrFile -Provider Voxist -Language en | Export-Csv calls.csv</code></example>
[Cmdlet(VerbsLifecycle.Invoke, "AsrFile", DefaultParameterSetName = PathSet)]
[OutputType(typeof(Transcript))]
public sealed class InvokeAsrFileCommand : AsrCmdletBase
{
    private const string PathSet = "Path";
    private const string LiteralSet = "LiteralPath";

    /// <summary>Audio files; wildcards allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    /// <summary>Audio files, taken literally (no wildcards). Bound from the pipeline's PSPath.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[]? LiteralPath { get; set; }

    [Parameter(Position = 1)]
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

    /// <summary>Custom ws:// or wss:// endpoint.</summary>
    [Parameter]
    public Uri? Endpoint { get; set; }

    /// <summary>Provider-specific options, e.g. @{ punctuation_mode = 'Dictated' }.</summary>
    [Parameter]
    public System.Collections.Hashtable? ProviderOption { get; set; }

    /// <summary>1 = real time (default), 2, 4 … or 'max'.</summary>
    [Parameter]
    public string Speed { get; set; } = "1";

    /// <summary>Also write partial results.</summary>
    [Parameter]
    public SwitchParameter IncludePartial { get; set; }

    /// <summary>Run against the built-in emulator of the provider (no account needed).</summary>
    [Parameter]
    public SwitchParameter Emulate { get; set; }

    /// <summary>Seconds to wait for the provider to finish after the audio.</summary>
    [Parameter]
    [ValidateRange(1, 600)]
    public double DrainTimeout { get; set; } = 30;

    protected override void ProcessRecord()
    {
        var files = ResolvePaths(ParameterSetName == LiteralSet ? LiteralPath : Path, ParameterSetName == LiteralSet);
        double speed;
        try { speed = Pacer.ParseSpeed(Speed); }
        catch (AsrException e) { ThrowTerminatingError(ToErrorRecord(e, Speed)); return; }
        var key = ToSecret(ApiKey);
        var options = ToOptions(ProviderOption);
        foreach (var file in files)
        {
            if (StopToken.IsCancellationRequested) return;
            try
            {
                RunPumped(async (pump, lf, ct) =>
                {
                    EmulatorServer? emulator = Emulate ? EmulatorHost.StartForFile(Provider, file) : null;
                    try
                    {
                        var request = new TranscriptionRequest
                        {
                            Path = file,
                            Speed = speed,
                            IncludePartials = IncludePartial,
                            Session = new SessionOptions
                            {
                                Provider = Provider,
                                Language = Language,
                                ApiKey = emulator is not null ? new Secret(EmulatorHost.ApiKey) : key,
                                AuthMode = AuthMode,
                                Environment = Environment,
                                Endpoint = emulator?.Endpoint ?? Endpoint,
                                ProviderOptions = options,
                                DrainTimeout = TimeSpan.FromSeconds(DrainTimeout),
                            },
                        };
                        var summary = await FileTranscriber.RunAsync(request, pump.Output,
                            p => pump.Post(Engine.Hosting.PumpEventKind.Progress, p), lf, ct).ConfigureAwait(false);
                        if (summary.DrainTimedOut)
                            pump.Post(Engine.Hosting.PumpEventKind.Error, new ErrorRecord(
                                new TimeoutException($"{Provider} did not finish '{file}'; audio {string.Join(", ", summary.Uncovered)} got no final result."),
                                "DrainTimeout", ErrorCategory.OperationTimeout, file));
                    }
                    finally
                    {
                        if (emulator is not null) await emulator.DisposeAsync().ConfigureAwait(false);
                    }
                });
            }
            catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
            {
                return;
            }
            catch (AsrException e) when (e.Kind is AsrErrorKind.AudioFormat)
            {
                WriteError(ToErrorRecord(e, file)); // one bad file does not stop the others
            }
            catch (AsrException e)
            {
                ThrowTerminatingError(ToErrorRecord(e, file));
            }
        }
    }
}
