namespace SpeechStream.Emulator;

/// <summary>What the emulator registry knows of one provider's emulator; each emulator declares its own
/// (<c>VoxistEmulator.Registration</c>, …) in its folder, Providers/&lt;Name&gt;/.</summary>
/// <param name="Provider">The provider's name, as in the engine's <c>ProviderRegistry</c>.</param>
/// <param name="Create">Makes the emulator with the given options.</param>
internal sealed record EmulatorRegistration(string Provider, Func<EmulatorOptions, ProviderEmulator> Create)
{
    /// <summary>The language to ask for when the tests' English fixtures are sent to this emulator, where the
    /// provider's default is another (Voxist defaults to fr); null: the provider's default.</summary>
    public string? TestLanguage { get; init; }

    /// <summary>True when the provider numbers its segments (the partial-flood profile then opens new ones).</summary>
    public bool NumbersSegments { get; init; }

    /// <summary>True when the provider has an error frame the emulator can send (the <c>error-frame</c> profile).</summary>
    public bool SendsErrorFrames { get; init; }

    /// <summary>The server behaviours only this provider has (each applying to it alone), after the shared ones in
    /// <see cref="EmulatorProfiles.All"/>.</summary>
    public IReadOnlyList<EmulatorProfile> Profiles { get; init; } = [];
}
