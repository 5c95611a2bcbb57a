using System.Text.Json;

namespace SpeechStream.Emulator;

/// <summary>A word the emulator will "recognise", with its times in seconds from the start of the audio.</summary>
public sealed record ScriptWord(string Text, double Start, double End);

/// <summary>
/// What the emulator replays: words grouped into segments. Read from a sidecar JSON as the fixtures have
/// it (<c>text</c>, <c>words[]</c> with <c>word</c>, <c>start</c>, <c>end</c> in seconds). A new segment starts
/// after a pause of <see cref="SegmentGap"/> s or after <see cref="MaxWordsPerSegment"/> words.
/// </summary>
public sealed class TranscriptScript
{
    public const double SegmentGap = 0.25;
    public const int MaxWordsPerSegment = 12;

    public TranscriptScript(IReadOnlyList<IReadOnlyList<ScriptWord>> segments, string text)
    {
        Segments = segments;
        Text = text;
    }

    public IReadOnlyList<IReadOnlyList<ScriptWord>> Segments { get; }

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

    public static TranscriptScript FromWords(IReadOnlyList<ScriptWord> words, string? text = null)
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

/// <summary>A result the emulator sends: a segment's words so far, partial or final.</summary>
public sealed record EmittedResult(int Segment, bool IsFinal, IReadOnlyList<ScriptWord> Words)
{
    public string Text => string.Join(" ", Words.Select(w => w.Text));
    public double Start => Words.Count > 0 ? Words[0].Start : 0;
    public double End => Words.Count > 0 ? Words[^1].End : 0;
}

/// <summary>Plays a script against the audio time received: a partial when the audio passes a word's end,
/// a final once it passes the segment's last word by <see cref="FinalDelay"/> s, and at the end of stream
/// finals for every segment with words that started in the audio received.</summary>
public sealed class ScriptPlayer
{
    public const double FinalDelay = 0.3;
    private readonly TranscriptScript _script;
    private int _segment;
    private int _heard;

    public ScriptPlayer(TranscriptScript script) => _script = script;

    public IEnumerable<EmittedResult> Advance(double audioSeconds)
    {
        while (_segment < _script.Segments.Count)
        {
            var seg = _script.Segments[_segment];
            int heard = 0;
            while (heard < seg.Count && seg[heard].End <= audioSeconds) heard++; // words are in time order
            if (heard > _heard)
            {
                _heard = heard;
                if (heard < seg.Count) yield return new EmittedResult(_segment, false, seg.Take(heard).ToList());
            }
            if (heard == seg.Count && audioSeconds >= seg[^1].End + FinalDelay)
            {
                yield return new EmittedResult(_segment, true, seg);
                _segment++;
                _heard = 0;
                continue;
            }
            yield break;
        }
    }

    public IEnumerable<EmittedResult> Finish(double audioSeconds)
    {
        for (; _segment < _script.Segments.Count; _segment++, _heard = 0)
        {
            var words = _script.Segments[_segment].Where(w => w.Start < audioSeconds).ToList();
            if (words.Count == 0) break;
            yield return new EmittedResult(_segment, true, words);
        }
    }
}

/// <summary>Without a script: one final per voiced region found by energy (20 ms frames above -40 dBFS,
/// ended by 300 ms of quiet), with placeholder text naming the region.</summary>
public sealed class EnergySegmenter
{
    private const double FrameSeconds = 0.02, ThresholdDb = -40, HangSeconds = 0.3;
    private readonly int _rate;
    private readonly int _frameSamples;
    private long _samples;
    private double _sumSquares;
    private int _inFrame;
    private double? _regionStart;
    private double _lastVoiced;
    private int _segment;

    public EnergySegmenter(int sampleRate)
    {
        _rate = sampleRate;
        _frameSamples = (int)(sampleRate * FrameSeconds);
    }

    public List<EmittedResult> Feed(ReadOnlySpan<byte> pcm16)
    {
        var results = new List<EmittedResult>();
        for (int i = 0; i + 1 < pcm16.Length; i += 2)
        {
            double s = (short)(pcm16[i] | (pcm16[i + 1] << 8)) / 32768.0;
            _sumSquares += s * s;
            _samples++;
            if (++_inFrame < _frameSamples) continue;
            double rms = Math.Sqrt(_sumSquares / _inFrame);
            double db = 20 * Math.Log10(rms + 1e-12);
            double t = (double)_samples / _rate;
            _inFrame = 0;
            _sumSquares = 0;
            if (db > ThresholdDb)
            {
                _regionStart ??= t - FrameSeconds;
                _lastVoiced = t;
            }
            else if (_regionStart is double start && t - _lastVoiced >= HangSeconds)
            {
                results.Add(Region(start, _lastVoiced));
                _regionStart = null;
            }
        }
        return results;
    }

    public List<EmittedResult> Finish()
    {
        var r = new List<EmittedResult>();
        if (_regionStart is double start) r.Add(Region(start, _lastVoiced));
        _regionStart = null;
        return r;
    }

    private EmittedResult Region(double start, double end)
    {
        // Two words, "[speech" and "S-E]", so a provider with start times only (Voxist) still shows where the region ends.
        double last = Math.Round(Math.Max(start, end - 0.2), 2);
        return new EmittedResult(_segment++, true, new[]
        {
            new ScriptWord("[speech", Math.Round(start, 2), last),
            new ScriptWord(FormattableString.Invariant($"{start:0.00}-{end:0.00}]"), last, Math.Round(end, 2)),
        });
    }
}
