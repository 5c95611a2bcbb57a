using SpeechStream.Engine.Providers;

namespace SpeechStream.Engine.Sessions;

/// <summary>Validates <c>-ProviderOption</c> keys and values against the descriptor.</summary>
internal static class ProviderOptionValidator
{
    /// <exception cref="AsrException">InvalidInput: an unknown key (listing the valid keys) or a value of the wrong type.</exception>
    public static void Validate(ProviderDescriptor d, IReadOnlyDictionary<string, string> options)
    {
        foreach (var (key, value) in options)
        {
            var opt = d.Options.FirstOrDefault(x => x.Name.Equals(key, StringComparison.OrdinalIgnoreCase))
                ?? throw new AsrException(AsrErrorKind.InvalidInput, "ProviderOptionUnknown",
                    $"{d.Name} has no option '{key}'. Valid options: {(d.Options.Count == 0 ? "none" : string.Join(", ", d.Options.Select(x => x.Name)))}.") { Provider = d.Name };
            bool ok = opt.Kind switch
            {
                OptionKind.Bool => value.Equals("true", StringComparison.OrdinalIgnoreCase) || value.Equals("false", StringComparison.OrdinalIgnoreCase),
                OptionKind.Int => int.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out _),
                OptionKind.Number => double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _),
                OptionKind.Enum => opt.Allowed?.Any(a => a.Equals(value, StringComparison.OrdinalIgnoreCase)) ?? true,
                _ => true,
            };
            if (!ok)
                throw new AsrException(AsrErrorKind.InvalidInput, "ProviderOptionInvalid",
                    $"{d.Name} option '{opt.Name}' got '{value}'; expected {(opt.Kind == OptionKind.Enum ? "one of: " + string.Join(", ", opt.Allowed!) : "a " + opt.Kind.ToString().ToLowerInvariant())}.") { Provider = d.Name };
        }
    }

    /// <summary>The value of an option, or its default.</summary>
    public static string? Get(this IReadOnlyDictionary<string, string> options, ProviderDescriptor d, string name)
    {
        foreach (var (k, v) in options)
            if (k.Equals(name, StringComparison.OrdinalIgnoreCase)) return v;
        return d.Options.FirstOrDefault(x => x.Name == name)?.Default;
    }
}
