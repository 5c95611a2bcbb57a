using System.Text.RegularExpressions;

namespace SpeechStream.HelpBuilder;

/// <summary>
/// What makes the help and the cmdlets disagree or fall short: a cmdlet without synopsis, description or example, a
/// parameter without description, or an example that passes one of our cmdlets a parameter it does not have. The
/// builder refuses to write help with any of them, and the tests run it over the real cmdlets.
/// </summary>
internal static class HelpCheck
{
    private static readonly HashSet<string> CommonParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        "Verbose", "vb", "Debug", "db", "ErrorAction", "ea", "WarningAction", "wa", "InformationAction", "infa",
        "ProgressAction", "proga", "ErrorVariable", "ev", "WarningVariable", "wv", "InformationVariable", "iv",
        "OutVariable", "ov", "OutBuffer", "ob", "PipelineVariable", "pv",
    };

    public static IEnumerable<string> Problems(IReadOnlyList<CmdletHelp> cmdlets)
    {
        var byName = cmdlets.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var c in cmdlets)
        {
            if (c.Synopsis.Length == 0) yield return $"{c.Name}: no synopsis (<para type=\"synopsis\">).";
            if (c.Description.Count == 0) yield return $"{c.Name}: no description (<para type=\"description\">).";
            if (!c.Examples.Any(e => e.Code.Length > 0)) yield return $"{c.Name}: no example (<example><code>).";
            foreach (var p in c.Parameters.Where(p => p.Description.Count == 0))
                yield return $"{c.Name}: parameter -{p.Name} has no description (the property's <summary>).";
            foreach (var e in c.Examples)
                foreach (var (cmdlet, parameter) in ParametersUsed(e.Code, byName.Keys))
                    if (!Accepts(byName[cmdlet], parameter))
                        yield return $"{c.Name}: an example passes {cmdlet} -{parameter}, which it does not have.";
        }
    }

    private static bool Accepts(CmdletHelp c, string parameter) =>
        CommonParameters.Contains(parameter)
        || c.Parameters.Any(p => p.Name.Equals(parameter, StringComparison.OrdinalIgnoreCase)
                                 || p.Aliases.Contains(parameter, StringComparer.OrdinalIgnoreCase));

    /// <summary>Each (cmdlet, parameter name) an example passes to one of <paramref name="cmdlets"/>: strings and
    /// parenthesised sub-expressions are set aside (their parameters belong to other commands).</summary>
    internal static IEnumerable<(string Cmdlet, string Parameter)> ParametersUsed(string code, IEnumerable<string> cmdlets)
    {
        var names = cmdlets.ToList();
        string text = Regex.Replace(code, "'[^']*'|\"[^\"]*\"", "''");
        string previous;
        do { previous = text; text = Regex.Replace(text, @"\([^()]*\)", "()"); } while (text != previous);
        foreach (var line in text.Split('\n'))
            foreach (var segment in line.Split('|', ';', '{', '}'))
            {
                var tokens = segment.Split(new[] { ' ', '\t', ',' }, StringSplitOptions.RemoveEmptyEntries);
                int at = Array.FindIndex(tokens, t => names.Contains(t, StringComparer.OrdinalIgnoreCase));
                if (at < 0) continue;
                string cmdlet = names.First(n => n.Equals(tokens[at], StringComparison.OrdinalIgnoreCase));
                foreach (var t in tokens.Skip(at + 1))
                {
                    var m = Regex.Match(t, @"^-([A-Za-z][A-Za-z0-9]*)(:.*)?$");
                    if (m.Success) yield return (cmdlet, m.Groups[1].Value);
                }
            }
    }
}
