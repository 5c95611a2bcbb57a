namespace SpeechStream.Engine.Transcripts.Formats;

/// <summary>
/// Cuts a final result into cues. Where the provider gives word times, each cue starts at its first word's start and
/// ends at its last word's end (a word without an end ends where the next starts), and cues break between words;
/// without word times the words are dated in proportion to their characters across the result's span. A result
/// without an end time (Voxist sends starts only, iApp no times at all) ends where the next result of the same
/// speaker starts, or after its estimated speaking time (<see cref="SubtitleLayout.CharactersPerSecond"/>),
/// whichever is first: never stretched to fill the gap.
/// </summary>
internal static class SubtitleCues
{
    private sealed record Token(string Text, double Start, double End);

    /// <summary>Who speaks: the speaker, or the channel in split mode; null for a mixed recording without speakers.</summary>
    public static string? Label(Transcript t) =>
        !string.IsNullOrWhiteSpace(t.Speaker) ? t.Speaker
        : t.Channel is { Length: > 0 } c && !c.Equals("mix", StringComparison.OrdinalIgnoreCase) ? c : null;

    /// <param name="nextStart">Start of the next result of the same speaker, in seconds; null for the last.</param>
    /// <param name="notBefore">End of the previous cue of the same speaker: a result without a start begins there.</param>
    public static IReadOnlyList<SubtitleCue> For(Transcript t, double? nextStart, SubtitleLayout layout, double notBefore = 0)
    {
        string? label = Label(t);
        var tokens = Tokens(t, nextStart, layout, notBefore);
        var cues = new List<SubtitleCue>();
        var current = new List<Token>();
        int prefix = (label is null ? 0 : label.Length + 2) + (t.Unconfirmed ? SubtitleCue.UnconfirmedMark.Length : 0);
        foreach (var token in tokens)
        {
            if (current.Count > 0)
            {
                var candidate = current.Append(token).Select(x => x.Text).ToList();
                bool fits = Wrap(candidate, layout.MaxLineLength, prefix).Count <= layout.MaxLines;
                if (!fits || token.End - current[0].Start > layout.MaxCueSeconds)
                {
                    cues.Add(Cue(current, label, layout, prefix, t.Unconfirmed));
                    current.Clear();
                }
            }
            current.Add(token);
        }
        if (current.Count > 0) cues.Add(Cue(current, label, layout, prefix, t.Unconfirmed));
        // A cue never outlasts the start of the next one.
        for (int i = 0; i + 1 < cues.Count; i++)
            if (cues[i].End > cues[i + 1].Start) cues[i] = cues[i] with { End = Math.Max(cues[i].Start + 0.001, cues[i + 1].Start) };
        return cues;
    }

    private static SubtitleCue Cue(List<Token> tokens, string? label, SubtitleLayout layout, int prefix, bool unconfirmed) =>
        new(tokens[0].Start, Math.Max(tokens[^1].End, tokens[0].Start + 0.001),
            Wrap(tokens.Select(x => x.Text).ToList(), layout.MaxLineLength, prefix), label, unconfirmed);

    /// <summary>Greedy wrap into lines of at most <paramref name="width"/> characters (a longer word gets a line of its
    /// own); the first line also holds <paramref name="prefix"/> characters of label.</summary>
    public static IReadOnlyList<string> Wrap(IReadOnlyList<string> words, int width, int prefix = 0)
    {
        var lines = new List<string>();
        var line = "";
        int room = width - prefix;
        foreach (var w in words)
        {
            if (line.Length == 0) line = w;
            else if (line.Length + 1 + w.Length <= room) line += " " + w;
            else { lines.Add(line); line = w; room = width; }
        }
        if (line.Length > 0) lines.Add(line);
        return lines;
    }

    private static List<Token> Tokens(Transcript t, double? nextStart, SubtitleLayout layout, double notBefore)
    {
        var texts = t.Text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var words = t.Words;
        if (words.Count > 0 && words.All(w => w.Start is not null))
        {
            // The text's own tokens keep their punctuation when they line up one to one with the words.
            bool aligned = texts.Length == words.Count;
            var result = new List<Token>(words.Count);
            for (int i = 0; i < words.Count; i++)
            {
                double start = words[i].Start!.Value;
                double end = words[i].End
                    ?? (i + 1 < words.Count ? words[i + 1].Start!.Value : t.End ?? Honest(start, words[i].Text.Length, nextStart, layout));
                result.Add(new Token(aligned ? texts[i] : words[i].Text, start, Math.Max(start, end)));
            }
            return result;
        }
        double s0 = t.Start ?? notBefore;
        double e0 = t.End ?? Honest(s0, t.Text.Length, nextStart, layout);
        int total = Math.Max(1, texts.Sum(x => x.Length + 1) - 1);
        var proportional = new List<Token>(texts.Length);
        int offset = 0;
        foreach (var x in texts)
        {
            proportional.Add(new Token(x, s0 + (e0 - s0) * offset / total, s0 + (e0 - s0) * Math.Min(total, offset + x.Length) / total));
            offset += x.Length + 1;
        }
        return proportional;
    }

    /// <summary>The end of speech that has no end time: its estimated speaking time, cut at the next start.</summary>
    private static double Honest(double start, int characters, double? nextStart, SubtitleLayout layout)
    {
        double estimate = start + Math.Max(0.5, characters / layout.CharactersPerSecond);
        return nextStart is double n && n > start ? Math.Min(n, estimate) : estimate;
    }
}
