using System.Text.Json;

namespace SpeechStream.Emulator;

/// <summary>
/// What the emulator replays: words grouped into segments. Read from a sidecar JSON as the fixtures have
/// it (<c>text</c>, <c>words[]</c> with <c>word</c>, <c>start</c>, <c>end</c> in seconds). A new segment starts
/// after a pause of <see cref="SegmentGap"/> s or after <see cref="MaxWordsPerSegment"/> words.
/// </summary>
public sealed class TranscriptScript
{
    /// <summary>The pause between two words, in seconds, from which the second opens a new segment.</summary>
    public const double SegmentGap = 0.25;

    /// <summary>The most words one segment holds; the next word opens a new one.</summary>
    public const int MaxWordsPerSegment = 12;

    /// <summary>A script of <paramref name="segments"/> as given (see <see cref="FromWords"/> to group words) and the
    /// clip's reference <paramref name="text"/>.</summary>
    internal TranscriptScript(IReadOnlyList<IReadOnlyList<ScriptWord>> segments, string text)
    {
        Segments = segments;
        Text = text;
    }

    /// <summary>The segments in time order, each a list of words in time order.</summary>
    internal IReadOnlyList<IReadOnlyList<ScriptWord>> Segments { get; }

    /// <summary>The reference text of the whole clip.</summary>
    public string Text { get; }

    /// <summary>Loads a sidecar transcript.</summary>
    /// <exception cref="SpeechStream.Engine.AsrException">InvalidInput naming the file when it is not such a JSON.</exception>
    public static TranscriptScript Load(string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = doc.RootElement;
            var words = new List<ScriptWord>();
            if (root.TryGetProperty("words", out var ws) && ws.ValueKind == JsonValueKind.Array)
                foreach (var w in ws.EnumerateArray())
                    words.Add(new ScriptWord(w.GetProperty("word").GetString()!, w.GetProperty("start").GetDouble(), w.GetProperty("end").GetDouble()));
            string text = root.TryGetProperty("text", out var t) ? t.GetString() ?? "" : string.Join(" ", words.Select(w => w.Text));
            if (words.Count == 0)
                throw new FormatException("it has no 'words' array with word, start and end");
            return FromWords(words, text);
        }
        catch (Exception e) when (e is JsonException or FormatException or KeyNotFoundException or InvalidOperationException or IOException)
        {
            throw new SpeechStream.Engine.AsrException(SpeechStream.Engine.AsrErrorKind.InvalidInput, "TranscriptScriptInvalid",
                $"'{path}': not a transcript sidecar ({e.Message}); expected JSON with 'text' and 'words' [{{word, start, end}}] in seconds.", e);
        }
    }

    /// <summary>The script of one channel of a call described by turns (<c>call.json</c>: <c>turns[]</c> with
    /// <c>channel</c>, <c>clip</c> and <c>start</c> in seconds): each turn's clip sidecar (same folder), its words
    /// shifted by the turn's start.</summary>
    /// <exception cref="SpeechStream.Engine.AsrException">InvalidInput naming the file when it or a clip's sidecar is not readable.</exception>
    public static TranscriptScript FromTurns(string callJson, string channel)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(callJson));
            var words = new List<ScriptWord>();
            var texts = new List<string>();
            foreach (var turn in doc.RootElement.GetProperty("turns").EnumerateArray())
            {
                if (!string.Equals(turn.GetProperty("channel").GetString(), channel, StringComparison.OrdinalIgnoreCase)) continue;
                double start = turn.GetProperty("start").GetDouble();
                var clip = Load(Path.Combine(Path.GetDirectoryName(callJson)!, turn.GetProperty("clip").GetString() + ".json"));
                texts.Add(clip.Text);
                words.AddRange(clip.Segments.SelectMany(s => s).Select(w => w with { Start = Math.Round(w.Start + start, 3), End = Math.Round(w.End + start, 3) }));
            }
            return FromWords(words, string.Join(" ", texts));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IOException)
        {
            throw new SpeechStream.Engine.AsrException(SpeechStream.Engine.AsrErrorKind.InvalidInput, "TranscriptScriptInvalid",
                $"'{callJson}': not a call description ({e.Message}); expected JSON with turns[] of channel, clip and start.", e);
        }
    }

    /// <summary>The words from <paramref name="seconds"/> on, timed from there (what a provider hears when a
    /// reconnecting client replays the audio from that point).</summary>
    public TranscriptScript From(double seconds) =>
        FromWords(Segments.SelectMany(s => s).Where(w => w.Start >= seconds - 1e-6)
            .Select(w => w with { Start = Math.Round(w.Start - seconds, 3), End = Math.Round(w.End - seconds, 3) }).ToList(), Text);

    /// <summary>Groups <paramref name="words"/> (any order: sorted by start) into segments, a new one after a pause of
    /// <see cref="SegmentGap"/> s or <see cref="MaxWordsPerSegment"/> words; <paramref name="text"/> defaults to the
    /// words joined by spaces.</summary>
    internal static TranscriptScript FromWords(IReadOnlyList<ScriptWord> words, string? text = null)
    {
        var segments = new List<IReadOnlyList<ScriptWord>>();
        var current = new List<ScriptWord>();
        foreach (var w in words.OrderBy(w => w.Start))
        {
            if (current.Count > 0 && (w.Start - current[^1].End >= SegmentGap || current.Count >= MaxWordsPerSegment))
            {
                segments.Add(current);
                current = new List<ScriptWord>();
            }
            current.Add(w);
        }
        if (current.Count > 0) segments.Add(current);
        return new TranscriptScript(segments, text ?? string.Join(" ", words.Select(w => w.Text)));
    }
}
