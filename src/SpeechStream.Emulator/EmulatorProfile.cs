namespace SpeechStream.Emulator;

/// <summary>A named server behaviour: what it does, the providers it applies to (null: every provider), and how it
/// sets the options.</summary>
public sealed record EmulatorProfile(string Name, string Description, IReadOnlyList<string>? Providers, Action<EmulatorOptions> Apply)
{
    /// <summary>True when this profile applies to <paramref name="provider"/> (case-insensitive): it names the provider, or
    /// it names none.</summary>
    public bool AppliesTo(string provider) => Providers is null || Providers.Contains(provider, StringComparer.OrdinalIgnoreCase);
}
