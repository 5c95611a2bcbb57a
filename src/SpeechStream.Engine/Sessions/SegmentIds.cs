namespace SpeechStream.Engine.Sessions;

/// <summary>
/// Segment ids for a session's results: the provider's own number on a connection maps to one id (the last
/// <see cref="MaxNumbered"/> numbers are remembered); where it numbers none, partials share an id until their final
/// closes it, and each final is its own segment. Also remembers each numbered segment's last final text, so a final
/// that repeats it can be dropped. Plain values; one thread at a time.
/// </summary>
internal sealed class SegmentIds
{
    /// <summary>Numbered segments remembered (older numbers get a new id if they come back).</summary>
    public const int MaxNumbered = 4096;

    private readonly Dictionary<(int Generation, string Key), int> _numbered = new();
    private readonly Queue<(int Generation, string Key)> _numberedOrder = new();
    private readonly Dictionary<int, string> _lastFinalText = new();
    private int? _unnumberedOpen;
    private int _next;

    /// <summary>A new connection starts: an unnumbered open segment of the previous one is not continued.</summary>
    public void BeginConnection() => _unnumberedOpen = null;

    /// <summary>The id for a result of connection <paramref name="generation"/> with the provider's
    /// <paramref name="key"/> (null: none).</summary>
    public int For(int generation, string? key, bool isFinal)
    {
        if (key is null)
        {
            int s = _unnumberedOpen ?? _next++;
            _unnumberedOpen = isFinal ? null : s;
            return s;
        }
        var k = (generation, key);
        if (_numbered.TryGetValue(k, out int segment)) return segment;
        segment = _next++;
        _numbered[k] = segment;
        _numberedOrder.Enqueue(k);
        if (_numberedOrder.Count > MaxNumbered && _numberedOrder.TryDequeue(out var old) && _numbered.Remove(old, out int oldSegment))
            _lastFinalText.Remove(oldSegment);
        return segment;
    }

    /// <summary>True when <paramref name="text"/> repeats the last final of numbered segment <paramref name="segment"/>;
    /// otherwise records it as that segment's last final.</summary>
    public bool RepeatsLastFinal(int segment, string text)
    {
        if (_lastFinalText.TryGetValue(segment, out var previous) && previous == text) return true;
        _lastFinalText[segment] = text;
        return false;
    }
}
