namespace SpeechStream.Emulator;

/// <summary>The emulators there are, one per provider of the engine's registry (a test checks none is missing). Each
/// is one line here, naming the registration its own folder declares.</summary>
internal static class EmulatorRegistry
{
    private static readonly Engine.Providers.NamedRegistry<EmulatorRegistration> Registry = new(new[]
    {
        VoxistEmulator.Registration,
        IAppEmulator.Registration,
        SmallestEmulator.Registration,
        VoxNexusEmulator.Registration,
        SpeechallEmulator.Registration,
    }, r => r.Provider, provider => $"An emulator for '{provider}' is registered already.");

    private static IReadOnlyList<EmulatorRegistration> Registrations => Registry.All;

    /// <summary>Every registration, in the engine registry's order.</summary>
    public static IReadOnlyList<EmulatorRegistration> All => Registrations;

    /// <summary>The providers there is an emulator for, in the engine registry's order.</summary>
    public static IReadOnlyList<string> Providers => Registrations.Select(r => r.Provider).ToList();

    /// <summary>The registration of <paramref name="provider"/>'s emulator (case-insensitive), or null.</summary>
    public static EmulatorRegistration? Find(string provider) => Registry.Find(provider);

    /// <summary>The language to ask for when emulating <paramref name="provider"/> with English speech, or null for its default.</summary>
    public static string? TestLanguage(string provider) => Find(provider)?.TestLanguage;

    /// <exception cref="SpeechStream.Engine.AsrException">InvalidInput for a provider with no emulator.</exception>
    public static ProviderEmulator Create(string provider, EmulatorOptions options) =>
        Find(provider) is { } r ? r.Create(options)
            : throw new SpeechStream.Engine.AsrException(SpeechStream.Engine.AsrErrorKind.InvalidInput, "EmulatorUnknown",
                $"There is no emulator for provider '{provider}'. Expected one of: {string.Join(", ", Providers)}.");

    /// <summary>Adds an emulator after the built-in ones until the returned handle is disposed (the tests' stub
    /// provider).</summary>
    /// <exception cref="ArgumentException">An emulator for that provider is registered already.</exception>
    internal static IDisposable Register(EmulatorRegistration registration) => Registry.Register(registration);
}
