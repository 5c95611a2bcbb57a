using System.Collections;
using System.Management.Automation;
using SpeechStream.Engine.Providers;

namespace SpeechStream.PowerShell;

/// <summary>Shared pieces of the argument completers: matching, quoting, and the providers already typed.</summary>
internal static class Completion
{
    /// <summary>The values starting with <paramref name="word"/> (case-insensitive), quoted where PowerShell needs it.</summary>
    public static IEnumerable<CompletionResult> Matching(IEnumerable<string> values, string? word, string? tooltip = null)
    {
        string typed = (word ?? "").Trim('\'', '"');
        return values.Where(v => v.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
            .Select(v => new CompletionResult(Quote(v), v, CompletionResultType.ParameterValue, tooltip ?? v));
    }

    private static string Quote(string v) =>
        v.IndexOfAny(new[] { ' ', '\'', '"', '$', '`', ';', ',', '(', ')', '{', '}', '@', '#' }) >= 0 ? $"'{v.Replace("'", "''")}'" : v;

    private static readonly HashSet<string> DefaultProviderCommands = new(StringComparer.OrdinalIgnoreCase)
        { "Invoke-AsrFile", "Invoke-AsrMicrophone", "Connect-AsrSession" };

    /// <summary>The -Provider value already typed (a name or several); when none, the provider the command will use:
    /// <see cref="ProviderRegistry.DefaultProvider"/>, or VoxNexus for ConvertTo-Speech, which has no -Provider. Null
    /// for a command without a provider (every provider counts).</summary>
    public static IEnumerable<string>? BoundProviders(string commandName, IDictionary fakeBoundParameters)
    {
        if (commandName.Equals("ConvertTo-Speech", StringComparison.OrdinalIgnoreCase)) return new[] { "VoxNexus" };
        return fakeBoundParameters["Provider"] switch
        {
            string s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            IEnumerable e => e.Cast<object?>().Select(x => x?.ToString() ?? ""),
            _ => DefaultProviderCommands.Contains(commandName) ? new[] { ProviderRegistry.DefaultProvider } : null,
        };
    }
}
