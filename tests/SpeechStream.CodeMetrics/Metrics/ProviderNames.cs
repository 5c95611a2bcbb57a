using System.Text.RegularExpressions;

namespace SpeechStream.CodeMetrics.Metrics;

/// <summary>The five provider names and where each may be named freely: its engine folder
/// (<c>src/SpeechStream.Engine/Providers/&lt;Name&gt;/</c>) and its emulator folder
/// (<c>src/SpeechStream.Emulator/Providers/&lt;Name&gt;/</c>; before it, the file <c>&lt;Name&gt;Emulator.cs</c>).</summary>
public static partial class ProviderNames
{
    /// <summary>The providers' folder names, which are also their display names.</summary>
    public static readonly IReadOnlyList<string> All = ["Voxist", "IApp", "Smallest", "VoxNexus", "Speechall"];

    /// <summary>A provider name in any letter case (ids are lower case: <c>voxist</c>, <c>iapp</c>). Two guards keep
    /// prose and other names out: "IApp" followed by a lower-case letter (<c>IApplicationBuilder</c>) is not iApp, and
    /// "smallest" in lower case after "the" or "its" is the English word (capitalized, it is the provider).</summary>
    [GeneratedRegex(@"(?i:voxist|voxnexus|speechall)|(?i:iapp)(?![a-z])|Smallest|SMALLEST|(?<!\b(?:[Tt]he|[Ii]ts) )smallest")]
    private static partial Regex Pattern();

    /// <summary>The provider names in a piece of text, each occurrence once, as its folder name spells it.</summary>
    public static IEnumerable<string> Find(string text) =>
        Pattern().Matches(text).Select(m => All.First(n => n.Equals(m.Value, StringComparison.OrdinalIgnoreCase)));

    /// <summary>True when <paramref name="path"/> is the named provider's own folder or emulator file.</summary>
    public static bool IsHome(string provider, string path) =>
        path.StartsWith($"src/SpeechStream.Engine/Providers/{provider}/", StringComparison.Ordinal) ||
        path == $"src/SpeechStream.Emulator/{provider}Emulator.cs" ||
        path.StartsWith($"src/SpeechStream.Emulator/Providers/{provider}/", StringComparison.Ordinal);
}
