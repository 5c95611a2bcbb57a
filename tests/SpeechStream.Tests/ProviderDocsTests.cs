using System.Text.RegularExpressions;
using SpeechStream.Engine.Providers;

namespace SpeechStream.Tests;

/// <summary>
/// The static texts that list the providers (the README's two provider tables and its defaults sentence,
/// about_SpeechStream's provider list and defaults) are checked against <see cref="ProviderRegistry"/>: a provider added
/// without its line in each fails here, naming the text. Texts generated at run time (CLI option descriptions, tab
/// completion, Get-AsrProvider) read the registry and need no check.
/// </summary>
public partial class ProviderDocsTests
{
    [GeneratedRegex(@"\b[A-Z][A-Z0-9]*_API_KEY\b")]
    private static partial Regex KeyVariable();

    private static IEnumerable<ProviderDescriptor> Providers => ProviderRegistry.All.Select(p => p.Descriptor);

    /// <summary>The key variables named in <paramref name="text"/>, each once.</summary>
    private static string[] KeyVariables(string text) => KeyVariable().Matches(text).Select(m => m.Value).Distinct().Order().ToArray();

    /// <summary>The lines of <paramref name="text"/> from the one containing <paramref name="from"/> up to (not
    /// including) the next one containing <paramref name="to"/>.</summary>
    private static string Block(string text, string from, string to)
    {
        int start = text.IndexOf(from, StringComparison.Ordinal);
        Assert.True(start >= 0, $"'{from}' not found");
        int end = text.IndexOf(to, start + from.Length, StringComparison.Ordinal);
        Assert.True(end > start, $"'{to}' not found after '{from}'");
        return text[start..end];
    }

    [Theory]
    [InlineData("| Provider | Auth (`--auth`) | Key variable | Notes |", "\n\n")]
    [InlineData("| Provider | Key variable | Notes |", "\n\n")]
    public void Each_README_provider_table_has_one_row_per_registered_provider(string header, string end)
    {
        var table = Block(File.ReadAllText(Fixtures.RepoFile("README.md")), header, end);
        var rows = table.Split('\n').Skip(2).Where(l => l.StartsWith('|')).ToList();
        Assert.Equal(ProviderRegistry.All.Count, rows.Count);
        Assert.Equal(Providers.Select(d => d.ApiKeyVariable).Order(), KeyVariables(table));
    }

    [Fact]
    public void The_about_topic_lists_every_registered_provider()
    {
        var about = File.ReadAllText(Fixtures.RepoFile("module/en-US/about_SpeechStream.help.txt"));
        var list = Block(about, "Providers, one parameter apart", "Supported:");
        Assert.Equal(Providers.Select(d => d.ApiKeyVariable).Order(), KeyVariables(list));
        foreach (var d in Providers) Assert.Matches($@"\n\s+{d.Name}\s", list);
    }

    [Fact]
    public void The_default_languages_named_in_the_README_and_the_about_topic_are_each_providers()
    {
        var readme = Block(File.ReadAllText(Fixtures.RepoFile("README.md")), "Defaults: the provider is", "so English audio");
        var about = Block(File.ReadAllText(Fixtures.RepoFile("module/en-US/about_SpeechStream.help.txt")), "Defaults: -Provider is", "so English audio");
        foreach (var d in Providers)
        {
            Assert.Matches(new Regex($@"{d.Name} `{Regex.Escape(d.DefaultLanguage!)}`", RegexOptions.IgnoreCase), readme);
            Assert.Matches($@"{d.Name} {Regex.Escape(d.DefaultLanguage!)}\b", about);
        }
        Assert.Contains($"the provider is {ProviderRegistry.DefaultProvider}", readme);
        Assert.Contains($"-Provider is {ProviderRegistry.DefaultProvider}", about);
    }
}
