using System.Management.Automation;
using System.Security;
using SpeechStream.Engine.Diagnostics;
using SpeechStream.Engine.Sessions;

namespace SpeechStream.PowerShell;

/// <summary>
/// The parameters every cmdlet that opens a session shares (<c>Connect-AsrSession</c>, <c>Invoke-AsrFile</c>):
/// language, key, auth, environment, endpoint, the typed common parameters (<c>-Model</c>, <c>-WordTimestamps</c>,
/// <c>-Diarize</c>, <c>-Vocabulary</c>), <c>-ProviderOption</c> and <c>-Emulate</c>. Each provider validates
/// them against its descriptor in the engine (an unknown option lists the valid ones).
/// </summary>
public abstract class AsrConnectingCmdletBase : AsrCmdletBase
{
    /// <summary>Language code; the provider's default when absent (Voxist fr, IApp th, Smallest en, VoxNexus en-US,
    /// Speechall en: the DefaultLanguage of Get-AsrProvider), so English audio to Voxist needs -Language en.
    /// Tab-completes per provider.</summary>
    [Parameter]
    [PSDefaultValue(Help = "the provider's DefaultLanguage: Voxist fr, IApp th, Smallest en, VoxNexus en-US, Speechall en")]
    [ArgumentCompleter(typeof(LanguageCompleter))]
    public string? Language { get; set; }

    /// <summary>API key: a SecureString (e.g. from Get-Secret), a string or a PSCredential; when absent the provider's
    /// environment variable (VOXIST_API_KEY, …) is read. Never shown in output, errors or logs.</summary>
    [Parameter]
    [ApiKeyTransformation]
    public SecureString? ApiKey { get; set; }

    /// <summary>Auth mode: one of the provider's AuthModes (Get-AsrProvider), the provider's first when absent.
    /// Tab-completes per provider.</summary>
    [Parameter]
    [PSDefaultValue(Help = "the provider's first AuthMode (Get-AsrProvider)")]
    [ArgumentCompleter(typeof(AuthModeCompleter))]
    public string? AuthMode { get; set; }

    /// <summary>Named endpoint of the provider (Production, Staging, Pulse, …; see Get-AsrProvider); the provider's first
    /// when absent.</summary>
    [Parameter]
    [PSDefaultValue(Help = "the provider's first endpoint (Get-AsrProvider)")]
    [ArgumentCompleter(typeof(EnvironmentCompleter))]
    public string? Environment { get; set; }

    /// <summary>Custom ws:// or wss:// endpoint.</summary>
    [Parameter]
    public Uri? Endpoint { get; set; }

    /// <summary>Model id, for the providers that take one (Model in the Parameters of Get-AsrProvider; required where
    /// RequiresModel is true). With several providers it goes to those that take a model. Tab-completes the models the
    /// providers' documents name.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(ModelCompleter))]
    public string? Model { get; set; }

    /// <summary>Ask for word times, from the providers that map it (WordTimestamps in the Parameters of
    /// Get-AsrProvider). -WordTimestamps:$false turns them off.</summary>
    [Parameter]
    [PSDefaultValue(Help = "the provider's default")]
    public SwitchParameter WordTimestamps { get; set; }

    /// <summary>Speaker diarization, from the providers that map it (Diarize in the Parameters of Get-AsrProvider).</summary>
    [Parameter]
    [PSDefaultValue(Help = "the provider's default")]
    public SwitchParameter Diarize { get; set; }

    /// <summary>Custom vocabulary, for the providers that map it (Vocabulary in the Parameters of Get-AsrProvider).</summary>
    [Parameter]
    public string[]? Vocabulary { get; set; }

    /// <summary>Provider-specific options: a hashtable, e.g. @{ punctuation_mode = 'Dictated' }, or key=value strings,
    /// e.g. punctuation_mode=Dictated (see Get-AsrProvider). The key=value form tab-completes the keys of the provider
    /// typed, and the values of enum options. An unknown key is an error that lists the valid ones.</summary>
    [Parameter]
    [ProviderOptionTransformation]
    [ArgumentCompleter(typeof(ProviderOptionCompleter))]
    public System.Collections.Hashtable? ProviderOption { get; set; }

    /// <summary>Allow ws:// to a host that is not this machine (the key would travel in clear).</summary>
    [Parameter]
    public SwitchParameter AllowUnencryptedConnection { get; set; }

    /// <summary>Run against the built-in emulator of the provider (no account needed).</summary>
    [Parameter]
    public SwitchParameter Emulate { get; set; }

    /// <summary>With -Emulate: server behaviours the emulator puts on, e.g. realtime, close-1011,
    /// close-without-completion (speechstream emulate --list-profiles describes them all).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(EmulatorProfileCompleter))]
    public string[]? EmulatorProfile { get; set; }

    /// <summary>-EmulatorProfile as the engine takes it: comma-separated, or null.</summary>
    protected string? EmulatorProfileList => EmulatorProfile is { Length: > 0 } ? string.Join(",", EmulatorProfile) : null;

    /// <summary>An emulator for <paramref name="provider"/> with -EmulatorProfile, or null without -Emulate.</summary>
    /// <exception cref="Engine.AsrException">InvalidInput: a profile without -Emulate, or one unknown or not for the provider.</exception>
    protected Emulator.EmulatorServer? StartEmulator(string provider) =>
        Emulator.EmulatorHost.Create(Emulate, EmulatorProfileList, new[] { provider })?.StartServer(provider, null);

    /// <summary>The session options these parameters describe, for <paramref name="provider"/>.</summary>
    protected SessionOptions BuildSessionOptions(string provider, int? sampleRate = null, TimeSpan? drainTimeout = null) => new()
    {
        Provider = provider,
        Language = Language,
        ApiKey = ToSecret(ApiKey),
        AuthMode = AuthMode,
        Environment = Environment,
        Endpoint = Endpoint,
        SampleRate = sampleRate,
        Model = Model,
        WordTimestamps = Bound(nameof(WordTimestamps), WordTimestamps),
        Diarize = Bound(nameof(Diarize), Diarize),
        Vocabulary = Vocabulary is { Length: > 0 } ? Vocabulary : null,
        ProviderOptions = ToOptions(ProviderOption),
        DrainTimeout = drainTimeout ?? TimeSpan.FromSeconds(30),
        AllowUnencrypted = AllowUnencryptedConnection,
    };

    /// <summary>A switch as a tri-state: null when not given, so the provider's default applies.</summary>
    private bool? Bound(string name, SwitchParameter value) =>
        MyInvocation.BoundParameters.ContainsKey(name) ? value.IsPresent : null;

    /// <summary>Points options at an emulator: its endpoint and the key it accepts.</summary>
    protected static SessionOptions ForEmulator(SessionOptions o, Emulator.EmulatorServer emulator) =>
        o.With(endpoint: emulator.Endpoint, apiKey: new Secret(Emulator.EmulatorHost.ApiKey));
}
