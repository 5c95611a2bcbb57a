using System.Management.Automation;
using System.Security;
using SpeechStream.Emulator;
using SpeechStream.Engine;
using SpeechStream.Engine.Providers.VoxNexus;

namespace SpeechStream.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Synthesises speech with VoxNexus realtime TTS into a WAV file.</para>
/// <para type="description">Text comes from -Text or the pipeline; every piece is sent as one text frame, the last
/// marked final, and the audio is written to -OutFile as it arrives. Writes a SpeechResult: the path, sample rate,
/// duration in seconds and audio bytes. An existing file is replaced, as Out-File does, unless -NoClobber; -WhatIf
/// shows what would be written without connecting.</para>
/// <para type="notes">Errors: a missing folder (OutFileFolderNotFound), an existing file with -NoClobber (NoClobber), a
/// read-only file without -Force (OutFileReadOnly), a refused key and a VoxNexus error frame are terminating.</para>
/// </summary>
/// <example>
/// <code>'Hello', 'world' | ConvertTo-Speech -OutFile hello.wav -Voice vl-xiaoxiao -Emulate</code>
/// <para>Two pieces of text into one WAV file, against the built-in VoxNexus emulator.</para>
/// </example>
/// <example>
/// <code>ConvertTo-Speech 'Your call is important to us' -OutFile hold.wav -Language en-US -Speed 0.9 -NoClobber</code>
/// <para>Slightly slower speech, keeping hold.wav if it already exists.</para>
/// </example>
[Cmdlet(VerbsData.ConvertTo, "Speech", SupportsShouldProcess = true, HelpUri = HelpLinks.Online)]
[OutputType(typeof(SpeechResult))]
public sealed class ConvertToSpeechCommand : AsrCmdletBase
{
    private readonly List<string> _texts = new();

    /// <summary>The text to speak; from the pipeline, one piece per object. Pieces are sent in order as separate text frames.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public string[]? Text { get; set; }

    /// <summary>WAV file to write. An existing file is replaced, as Out-File does, unless -NoClobber; its folder must
    /// exist.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    [Alias("Path")]
    public string? OutFile { get; set; }

    /// <summary>Do not replace an existing file: the cmdlet stops with the error NoClobber instead.</summary>
    [Parameter]
    [Alias("NoOverwrite")]
    public SwitchParameter NoClobber { get; set; }

    /// <summary>Replace a read-only file (its read-only attribute is cleared first).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>voice_id, e.g. vl-xiaoxiao (tab-completes the voices the VoxNexus document names). Checked before
    /// connecting: one word of printable ASCII (VoiceMalformed); a voice the document does not name is sent as given,
    /// with a Verbose note naming the nearest (the server has more voices than the document names).</summary>
    [Parameter]
    [PSDefaultValue(Help = "the server's default voice (none is sent)")]
    [ArgumentCompleter(typeof(VoiceCompleter))]
    public string? Voice { get; set; }

    /// <summary>Language of the text, e.g. zh-CN or en-US (the voice's default when absent). VoxNexus takes any
    /// ISO 639-1 or BCP-47 code: one it does not list is sent with a Verbose note; a value not shaped like a code is
    /// refused before connecting (LanguageMalformed).</summary>
    [Parameter]
    [PSDefaultValue(Help = "the voice's language (none is sent)")]
    [ArgumentCompleter(typeof(LanguageCompleter))]
    public string? Language { get; set; }

    /// <summary>Sample rate in Hz (default 16000).</summary>
    [Parameter]
    [ValidateRange(8000, 48000)]
    public int SampleRate { get; set; } = 16000;

    /// <summary>Speaking rate, 1.0 = normal.</summary>
    [Parameter]
    public double? Speed { get; set; }

    /// <summary>Pitch shift; 0 = the voice's own.</summary>
    [Parameter]
    public double? Pitch { get; set; }

    /// <summary>Volume, 1.0 = normal.</summary>
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

    /// <summary>API key: a SecureString, a string or a PSCredential; VOXNEXUS_API_KEY when absent. Never shown.</summary>
    [Parameter]
    [ApiKeyTransformation]
    public SecureString? ApiKey { get; set; }

    /// <summary>token (the key in the query, default) or header (X-Api-Key).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(AuthModeCompleter))]
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

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (Text is not null) _texts.AddRange(Text);
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        string path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(OutFile!);
        CheckOutFile(path);
        if (!ShouldProcess(path, "Write speech synthesised by VoxNexus TTS")) return;
        try
        {
            RunPumped(async (pump, lf, ct) =>
            {
                var result = await SpeechEmulation.SynthesizeAsync(new SpeechRequest
                {
                    Texts = _texts, OutFile = path, Voice = Voice, Language = Language, SampleRate = SampleRate,
                    Speed = Speed, Pitch = Pitch, Volume = Volume, Style = Style, Role = Role, Degree = Degree,
                    ApiKey = Emulate ? null : ToSecret(ApiKey), AuthMode = AuthMode,
                    AllowUnencrypted = AllowUnencryptedConnection, Endpoint = Endpoint,
                }, Emulate, lf, ct).ConfigureAwait(false);
                pump.Output(result);
            });
        }
        catch (AsrException e)
        {
            ThrowTerminatingError(ToErrorRecord(e, OutFile));
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>Stops with a clear error before anything is synthesised: a missing folder, a folder where the file
    /// should go, an existing file with -NoClobber, a read-only file without -Force.</summary>
    private void CheckOutFile(string path)
    {
        string? folder = System.IO.Path.GetDirectoryName(path);
        if (Directory.Exists(path))
            Stop(new IOException($"Cannot write '{path}': it is a folder. Give a file name, e.g. '{System.IO.Path.Combine(path, "speech.wav")}'."),
                "OutFileIsFolder", ErrorCategory.InvalidArgument);
        if (folder is { Length: > 0 } && !Directory.Exists(folder))
            Stop(new DirectoryNotFoundException($"Cannot write '{path}': the folder '{folder}' does not exist. Create it first: New-Item -ItemType Directory '{folder}'."),
                "OutFileFolderNotFound", ErrorCategory.ObjectNotFound);
        if (!File.Exists(path)) return;
        if (NoClobber)
            Stop(new IOException($"The file '{path}' already exists and -NoClobber keeps it. Leave out -NoClobber to replace it."),
                "NoClobber", ErrorCategory.ResourceExists);
        var attributes = File.GetAttributes(path);
        if ((attributes & FileAttributes.ReadOnly) == 0) return;
        if (!Force)
            Stop(new UnauthorizedAccessException($"The file '{path}' is read-only. Use -Force to replace it."),
                "OutFileReadOnly", ErrorCategory.PermissionDenied);
        if (ShouldProcess(path, "Clear the read-only attribute")) File.SetAttributes(path, attributes & ~FileAttributes.ReadOnly);
    }

    private void Stop(Exception e, string errorId, ErrorCategory category) => ThrowTerminatingError(new ErrorRecord(e, errorId, category, OutFile));
}
