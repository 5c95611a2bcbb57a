using System.Text.RegularExpressions;

namespace SpeechStream.Engine.Providers;

/// <summary>
/// Checks the closed values of a request (language, model, voice) against what the provider's documents list, before
/// anything connects, in both front doors. A provider whose list is closed (<see cref="ProviderDescriptor.LanguagesClosed"/>)
/// refuses another value with the nearest ones ("did you mean"); a provider that takes values beyond its list gets the
/// value as given, with a note. Where each list comes from, and whether it is closed, is in the provider's README.
/// </summary>
public static partial class ValueCheck
{
    // A language code as the providers' documents write them: ISO 639 (fr, fil), BCP-47 subtags (en-US, zh-Hant-TW),
    // Speechall's underscores (en_us), Voxist's variants (fr-medicalV2-16), and the words auto and multi.
    [GeneratedRegex("^[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,16}){0,4}$")]
    private static partial Regex LanguageShape();

    /// <summary>Checks <paramref name="language"/> for <paramref name="d"/>.</summary>
    /// <returns>The language to send: the listed spelling (<c>FR</c> → <c>fr</c>), or the value as given, with a note,
    /// for a provider that takes languages beyond its list.</returns>
    /// <exception cref="AsrException">InvalidInput: LanguageMalformed (not shaped like a language code), or
    /// LanguageUnsupported (outside a closed list; the message gives the nearest and every accepted code).</exception>
    public static CheckedValue Language(ProviderDescriptor d, string language)
    {
        string value = language.Trim();
        if (!LanguageShape().IsMatch(value))
            throw new AsrException(AsrErrorKind.InvalidInput, "LanguageMalformed",
                $"Language '{language}' is not a language code: expected letters, digits, '-' or '_', such as " +
                $"{string.Join(", ", d.Languages.Take(3))} (the languages of {d.Name}).") { Provider = d.Name };
        var accepted = d.Languages.Concat(d.LanguageAliases).ToList();
        if (accepted.FirstOrDefault(l => l.Equals(value, StringComparison.OrdinalIgnoreCase)) is { } listed)
            return new CheckedValue(listed, null);
        string near = DidYouMean(value, accepted);
        if (d.LanguagesClosed)
            throw new AsrException(AsrErrorKind.InvalidInput, "LanguageUnsupported",
                $"{d.Name} does not support language '{value}'.{near} Expected one of: {string.Join(", ", d.Languages)}" +
                $"{(d.LanguageAliases.Count > 0 ? $" (also accepted: {string.Join(", ", d.LanguageAliases)})" : "")}.") { Provider = d.Name };
        return new CheckedValue(value, $"Language '{value}' is not among the languages {d.Name}'s documents list " +
            $"({string.Join(", ", d.Languages)}); it is sent as given and {d.Name} decides.{near}");
    }

    /// <summary>Checks a model id against the ids <paramref name="d"/>'s documents name, which are examples: another id
    /// is sent as given, with a note.</summary>
    public static CheckedValue Model(ProviderDescriptor d, string model)
        => FromOpenList(d.Name, "Model", model.Trim(), d.Models);

    /// <summary>Checks a name from an open list (a voice id): it must be one token of printable ASCII; one that is not
    /// listed is sent as given, with a note.</summary>
    /// <exception cref="AsrException">InvalidInput, <paramref name="errorId"/>: empty, or a space or a character
    /// outside printable ASCII.</exception>
    public static CheckedValue OpenName(string provider, string what, string value, IReadOnlyList<string> listed, string errorId)
    {
        string v = value.Trim();
        if (v.Length == 0 || FirstOutsidePrintableAscii(v) >= 0)
            throw new AsrException(AsrErrorKind.InvalidInput, errorId,
                $"{what} '{value}' is not a {provider} {what.ToLowerInvariant()} id: expected one word of letters, digits and " +
                $"punctuation, such as {string.Join(", ", listed)}.") { Provider = provider };
        return FromOpenList(provider, what, v, listed);
    }

    /// <summary>A value from an open list: the listed spelling when it matches one case-insensitively, else the value as
    /// given with a note naming the listed ones and the nearest (no note when the documents list none).</summary>
    private static CheckedValue FromOpenList(string provider, string what, string value, IReadOnlyList<string> listed)
    {
        if (listed.FirstOrDefault(x => x.Equals(value, StringComparison.OrdinalIgnoreCase)) is { } known) return new CheckedValue(known, null);
        return new CheckedValue(value, listed.Count == 0 ? null
            : $"{what} '{value}' is not among the {what.ToLowerInvariant()}s {provider}'s documents name ({string.Join(", ", listed)}); " +
              $"it is sent as given and {provider} decides.{DidYouMean(value, listed)}");
    }

    /// <summary>The index of the first character that no HTTP header or URL carries as it is (outside printable ASCII:
    /// a space, a tab, a line break, a non-ASCII letter), or -1 when there is none.</summary>
    internal static int FirstOutsidePrintableAscii(string s)
    {
        for (int i = 0; i < s.Length; i++)
            if (s[i] is < '!' or > '~') return i;
        return -1;
    }

    /// <summary>" Did you mean: a, b?" for the listed values nearest <paramref name="value"/>, or "" when none is near.</summary>
    public static string DidYouMean(string value, IEnumerable<string> listed)
    {
        var near = Nearest(value, listed);
        return near.Count == 0 ? "" : $" Did you mean: {string.Join(", ", near)}?";
    }

    /// <summary>Up to three listed values near <paramref name="value"/>, nearest first: the same base language
    /// (<c>en-GB</c> → <c>en</c>, <c>en-US</c>), or at most two edits away, case-insensitively.</summary>
    public static IReadOnlyList<string> Nearest(string value, IEnumerable<string> listed)
    {
        string v = value.ToLowerInvariant();
        string baseOf(string s) => s.Split('-', '_')[0].ToLowerInvariant();
        return listed.Select(l => (Listed: l, Distance: baseOf(l) == baseOf(v) ? 0 : Edits(v, l.ToLowerInvariant())))
            .Where(x => x.Distance <= Math.Min(2, Math.Max(1, v.Length / 3)))
            .OrderBy(x => x.Distance).ThenBy(x => x.Listed.Length).Select(x => x.Listed).Distinct().Take(3).ToList();
    }

    /// <summary>Levenshtein distance.</summary>
    private static int Edits(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (int i = 1; i <= a.Length; i++)
        {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.Length];
    }
}
