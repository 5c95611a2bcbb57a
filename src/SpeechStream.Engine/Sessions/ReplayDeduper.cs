using System.Globalization;
using SpeechStream.Engine.Transcripts;

namespace SpeechStream.Engine.Sessions;

/// <summary>
/// After a reconnect the new connection hears again audio whose finals were already delivered. This removes the
/// repeats, and only what is provably one: a timed word that starts no later than the last delivered word started
/// (start against start: a new word may begin the instant the last delivered one ends), or untimed text (iApp) that
/// continues, word for word, the delivered text the replayed audio overlaps. Anything that does not line up is kept: a doubled word is visible, a lost one is not. It stops
/// filtering at the first result that goes past what was delivered. One per reconnected connection; used by its
/// receive loop only.
/// </summary>
internal sealed class ReplayDeduper
{
    /// <summary>A replayed word starting no later than this past the delivered point was already delivered (the
    /// providers round times to 10 ms; no two words start within 20 ms).</summary>
    public const double WordTolerance = 0.02;

    private readonly double _deliveredStart;
    private readonly IReadOnlyList<string> _delivered;
    private int _pointer = -1;

    /// <param name="deliveredStart">When the last delivered word (or timed result without words) started, in file seconds.</param>
    /// <param name="deliveredTokens">The normalised words (<see cref="Normalise"/>) of the delivered finals the replayed
    /// audio may overlap, in order.</param>
    public ReplayDeduper(double deliveredStart, IReadOnlyList<string> deliveredTokens)
    {
        _deliveredStart = deliveredStart;
        _delivered = deliveredTokens;
    }

    /// <summary>False once a result went past the delivered audio: nothing later can be a repeat.</summary>
    public bool Active { get; private set; } = true;

    /// <summary>The words (file times) not yet delivered; stops filtering when the first word is new.</summary>
    public IReadOnlyList<TranscriptWord> KeepTimed(IReadOnlyList<TranscriptWord> words)
    {
        if (!Active) return words;
        var keep = words.Where(w => w.Start is not double s || !StartsBeforeDelivered(s)).ToList();
        if (keep.Count > 0) Active = false; // a word past the delivered audio: nothing later is a repeat
        return keep.Count == words.Count ? words : keep;
    }

    /// <summary>True while filtering when a word starting at <paramref name="start"/> (file seconds) was already
    /// delivered; changes nothing (partial results are trimmed with it, and only finals end the filtering).</summary>
    public bool WasDelivered(double start) => Active && StartsBeforeDelivered(start);

    /// <summary>A start no later than the last delivered word's (within <see cref="WordTolerance"/>).</summary>
    private bool StartsBeforeDelivered(double start) => start <= _deliveredStart + WordTolerance;

    /// <summary>True when a timed result without word times starts no later than the last delivered one did.</summary>
    public bool IsTimedRepeat(double? start, double? end)
    {
        if (!Active) return false;
        bool repeat = (start ?? end) is double t && StartsBeforeDelivered(t);
        if (!repeat) Active = false;
        return repeat;
    }

    /// <summary>How many leading words of an untimed final (<paramref name="tokens"/>, normalised) were already
    /// delivered. The first final is aligned anywhere in the delivered text (the replay may start mid-sentence, so its
    /// first word may be the end of a delivered word); later ones must continue from there.</summary>
    public int DeliveredPrefix(IReadOnlyList<string> tokens)
    {
        if (!Active || tokens.Count == 0) return 0;
        int matched;
        if (_pointer < 0)
        {
            int best = -1;
            matched = 0;
            for (int i = 0; i < _delivered.Count; i++)
            {
                int length = MatchLength(i, tokens, firstMayBeFragment: true);
                if (length > matched) (best, matched) = (i, length);
            }
            // Convincing only when the whole final lies inside the delivered text, or the match runs to its end.
            if (matched == 0 || (matched < tokens.Count && best + matched < _delivered.Count))
            {
                Active = false;
                return 0;
            }
            _pointer = best + matched;
        }
        else
        {
            matched = MatchLength(_pointer, tokens, firstMayBeFragment: false);
            _pointer += matched;
        }
        if (matched < tokens.Count || _pointer >= _delivered.Count) Active = false;
        return matched;
    }

    private int MatchLength(int at, IReadOnlyList<string> tokens, bool firstMayBeFragment)
    {
        int n = 0;
        while (at + n < _delivered.Count && n < tokens.Count)
        {
            string d = _delivered[at + n], t = tokens[n];
            bool same = d == t || (n == 0 && firstMayBeFragment && t.Length >= 2 && d.EndsWith(t, StringComparison.Ordinal));
            if (!same) break;
            n++;
        }
        return n;
    }

    /// <summary>Words of a text, split at white space, for display (as received).</summary>
    public static string[] Words(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>A word for comparison: lower case (invariant), without the punctuation around it.</summary>
    public static string Normalise(string word) =>
        word.Trim().Trim(PunctuationAround).ToLower(CultureInfo.InvariantCulture);

    private static readonly char[] PunctuationAround = ".,;:!?\"'()[]{}…«»“”‘’¿¡-–—".ToCharArray();
}
