using System.Collections;
using System.Management.Automation;

namespace SpeechStream.PowerShell;

/// <summary>
/// Lets <c>-ProviderOption</c> take <c>key=value</c> strings (one or several, as <c>speechstream --option</c> does)
/// besides a hashtable, so that tab completion can offer the keys. A string without <c>=</c> is an error naming it.
/// </summary>
public sealed class ProviderOptionTransformationAttribute : ArgumentTransformationAttribute
{
    /// <inheritdoc/>
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        object? value = inputData is PSObject pso ? pso.BaseObject : inputData;
        return value switch
        {
            null or Hashtable => value,
            IDictionary d => new Hashtable(d, StringComparer.OrdinalIgnoreCase),
            string s => FromPairs(new[] { s }),
            IEnumerable e => FromPairs(e.Cast<object?>().Select(x => (x is PSObject p ? p.BaseObject : x)?.ToString() ?? "")),
            _ => throw new ArgumentTransformationMetadataException(
                $"-ProviderOption takes a hashtable (@{{ key = value }}) or key=value strings, not a {value.GetType().Name}."),
        };
    }

    private static Hashtable FromPairs(IEnumerable<string> pairs)
    {
        var table = new Hashtable(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in pairs)
        {
            int eq = pair.IndexOf('=');
            if (eq <= 0)
                throw new ArgumentTransformationMetadataException(
                    $"-ProviderOption '{pair}' is not valid: expected key=value (for example end_signal=eof) or a hashtable.");
            table[pair[..eq].Trim()] = pair[(eq + 1)..].Trim();
        }
        return table;
    }
}
