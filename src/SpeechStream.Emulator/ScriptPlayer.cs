namespace SpeechStream.Emulator;

/// <summary>Plays a script against the audio time received: a partial when the audio passes a word's end,
/// a final once it passes the segment's last word by <see cref="FinalDelay"/> s, and at the end of stream
/// finals for every segment with words that started in the audio received.</summary>
internal sealed class ScriptPlayer
{
    /// <summary>Seconds of audio past a segment's last word before its final is sent.</summary>
    public const double FinalDelay = 0.3;
    private readonly TranscriptScript _script;
    private int _segment;
    private int _heard;

    /// <summary>A player at the start of <paramref name="script"/>.</summary>
    public ScriptPlayer(TranscriptScript script) => _script = script;

    /// <summary>The results due now that <paramref name="audioSeconds"/> seconds of audio have been heard, in order: a
    /// partial for the words newly heard in the current segment, and the final of each segment whose last word ended
    /// <see cref="FinalDelay"/> s ago. Lazy: the player moves on as the sequence is enumerated.</summary>
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

    /// <summary>At the end of stream: a final for each segment left whose words started before
    /// <paramref name="audioSeconds"/>, with those words only; stops at the first segment not started. Lazy, as
    /// <see cref="Advance"/>.</summary>
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
