namespace SpeechStream.Engine.Providers;

/// <summary>A provider-specific option (<c>-ProviderOption @{name=value}</c>, <c>--option name=value</c>).</summary>
/// <param name="Name">Key as the user types it.</param>
/// <param name="Kind">The type of the value; for <see cref="OptionKind.Enum"/>, see <paramref name="Allowed"/>.</param>
/// <param name="Description">What it does, with its source document.</param>
/// <param name="Default">Value used when not given, if any.</param>
/// <param name="Allowed">Accepted values for an enum option.</param>
public sealed record ProviderOption(string Name, OptionKind Kind, string Description, string? Default = null,
    IReadOnlyList<string>? Allowed = null)
{
    /// <summary>The key, as a list of options shows it (Format-List of a provider).</summary>
    public override string ToString() => Name;
}
