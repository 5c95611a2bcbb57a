using System.Management.Automation;
using System.Security;
using SpeechStream.Emulator;
using SpeechStream.Engine;
using SpeechStream.Engine.Diagnostics;
using SpeechStream.Engine.Providers.VoxNexus;

namespace SpeechStream.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Synthesises speech with VoxNexus realtime TTS into a WAV file.</para>
/// <para type="description">Text comes from -Text or the pipeline; every piece is sent as one text frame, the last
/// marked final, and the audio is written to -OutFile as it arrives. Writes a SpeechResult (path, sample rate,
/// duration in seconds, bytes).</para>
/// </summary>
/// <example><code>'Hello', 'world' | ConvertTo-Speech -OutFile hello.wav -Voice vl-xiaoxiao -Emulate</code></example>
[Cmdlet(VerbsData.ConvertTo, "Speech")]
[OutputType(typeof(SpeechResult))]
public sealed class ConvertToSpeechCommand : AsrCmdletBase
{
    private readonly List<string> _texts = new();

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public string[]? Text { get; set; }

    /// <summary>WAV file to write (overwritten).</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string? OutFile { get; set; }

    /// <summary>voice_id, e.g. vl-xiaoxiao.</summary>
    [Parameter]
    public string? Voice { get; set; }

    [Parameter]
    public string? Language { get; set; }

    /// <summary>Sample rate in Hz (default 16000).</summary>
    [Parameter]
    [ValidateRange(8000, 48000)]
    public int SampleRate { get; set; } = 16000;

    /// <summary>Speaking rate, 1.0 = normal.</summary>
    [Parameter]
    public double? Speed { get; set; }

    [Parameter]
    public double? Pitch { get; set; }

    [Parameter]
    public double? Volume { get; set; }

    /// <summary>voice_config.style, e.g. cheerful.</summary>
    [Parameter]
    public string? Style { get; set; }

    /// <summary>voice_config.role, e.g. Girl.</summary>
    [Parameter]
    public string? Role { get; set; }

    /// <summary>voice_config.degree, the style's intensity.</summary>
    [Parameter]
    public double? Degree { get; set; }

    /// <summary>API key; VOXNEXUS_API_KEY when absent.</summary>
    [Parameter]
    public SecureString? ApiKey { get; set; }

    /// <summary>token (query, default) or header (X-Api-Key).</summary>
    [Parameter]
    public string? AuthMode { get; set; }

    /// <summary>Custom TTS endpoint (ws:// or wss://).</summary>
    [Parameter]
    public Uri? Endpoint { get; set; }

    /// <summary>Allow ws:// to a host that is not this machine (the key would travel in clear).</summary>
    [Parameter]
    public SwitchParameter AllowUnencryptedConnection { get; set; }

    /// <summary>Run against the built-in VoxNexus emulator.</summary>
    [Parameter]
    public SwitchParameter Emulate { get; set; }

    protected override void ProcessRecord()
    {
        if (Text is not null) _texts.AddRange(Text);
    }

    protected override void EndProcessing()
    {
        string path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(OutFile!);
        try
        {
            RunPumped(async (pump, lf, ct) =>
            {
                await using var emulator = Emulate ? EmulatorServer.Start("VoxNexus") : null;
                var result = await VoxNexusSpeechSynthesizer.SynthesizeAsync(new SpeechRequest
                {
                    Texts = _texts, OutFile = path, Voice = Voice, Language = Language, SampleRate = SampleRate,
                    Speed = Speed, Pitch = Pitch, Volume = Volume, Style = Style, Role = Role, Degree = Degree,
                    ApiKey = emulator is not null ? new Secret(EmulatorHost.ApiKey) : ToSecret(ApiKey),
                    AuthMode = AuthMode,
                    AllowUnencrypted = AllowUnencryptedConnection,
                    Endpoint = emulator is not null ? new Uri($"ws://127.0.0.1:{emulator.Port}{VoxNexusEmulator.TtsPath}") : Endpoint,
                }, lf, ct).ConfigureAwait(false);
                pump.Output(result);
            });
        }
        catch (AsrException e)
        {
            ThrowTerminatingError(ToErrorRecord(e, OutFile));
        }
        catch (OperationCanceledException) { }
    }
}
