using System.Diagnostics;
using Microsoft.Extensions.Logging;
using SpeechStream.Engine.Providers;
using SpeechStream.Engine.Transcripts;

namespace SpeechStream.Engine.Sessions;

/// <summary>What every transcript of a session carries.</summary>
internal sealed record TranscriptOrigin(string Provider, string? Source, string? Channel, string SessionId, string Language, string? SpeakerLabel);

/// <summary>
/// Turns provider results into transcripts on the file's timeline, exactly once and in order:
/// <list type="bullet">
/// <item>times: the connection's offset added; where the provider sends none (iApp), estimated from the audio sent
/// when the result came (start = the previous commit, end = this one) and marked <c>TimesEstimated</c>, but left empty
/// when the upload ran ahead of real time (the estimate would be wrong);</item>
/// <item>segments: the provider's own number on this connection, or, where it numbers none, each final its own
/// segment; a final that repeats its numbered segment's text is dropped, a different one is an update;</item>
/// <item>after a replay, repeats are removed by <see cref="ReplayDeduper"/> (by time, or by text without times);</item>
/// <item>delivery: each final moves the ledger's delivered point (and, with a margin where there are no times, the
/// replay floor);</item>
/// <item>open segments (partials with no final yet) are kept, at most <see cref="MaxOpenSegments"/> (the oldest are
/// discarded and counted, their time ranges kept), to be written as finals marked <c>Unconfirmed</c> when the session
/// ends without them, except those superseded by confirmed finals or later partials (<see cref="UnconfirmedPartials"/>).</item>
/// </list>
/// Used by one connection's receive loop at a time, then by the supervisor once the connections are over.
/// </summary>
internal sealed class ResultAssembler
{
    public const int MaxOpenSegments = 256;
    public const int MaxNumberedSegments = 4096;
    /// <summary>Untimed results: replay this much audio before the estimated delivered point.</summary>
    public const double UntimedReplayMargin = 3.0;
    private const int HistoryLimit = 256;

    private readonly TranscriptOrigin _origin;
    private readonly bool _timed;
    private readonly AudioLedger _ledger;
    private readonly Action<Transcript> _emit;
    private readonly ILogger _log;
    private readonly bool _emitPartials;
    private readonly Dictionary<(int Generation, string Key), int> _numbered = new();
    private readonly Queue<(int Generation, string Key)> _numberedOrder = new();
    private readonly Dictionary<int, string> _lastFinalText = new();
    private readonly Dictionary<int, OpenPartial> _open = new();
    private readonly Queue<int> _openOrder = new();
    private readonly Queue<(string[] Tokens, double CommitSent)> _history = new();
    /// <summary>Where confirmed finals with times have text; the time ranges of discarded open segments; of those written.</summary>
    private readonly TimeCoverage _finalRanges = new(UnconfirmedPartials.FinalsJoinGap, maxRanges: 256), _discarded = new(0), _written = new(0);
    private bool _untimedDiscarded;
    private long _arrivals;
    private Connection? _conn;
    private ReplayDeduper? _dedupe;
    private int? _unnumberedOpen;
    private int _nextSegment;
    private double _lastCommit;
    /// <summary>When the last delivered word (or timed result without words) started, in file seconds.</summary>
    private double _deliveredStart;

    /// <param name="emitPartials">Hand partial results to <paramref name="emit"/>; false when the caller wants finals only.</param>
    public ResultAssembler(TranscriptOrigin origin, bool providerSendsTimes, AudioLedger ledger, Action<Transcript> emit, ILogger log, bool emitPartials = true)
    {
        _emitPartials = emitPartials;
        _origin = origin;
        _timed = providerSendsTimes;
        _ledger = ledger;
        _emit = emit;
        _log = log;
    }

    public int Finals { get; private set; }
    public int Partials { get; private set; }
    public int Unconfirmed { get; private set; }
    public int RepeatsDropped { get; private set; }
    /// <summary>Open segments discarded because more than <see cref="MaxOpenSegments"/> were open at once.</summary>
    public int OpenSegmentsDiscarded { get; private set; }
    /// <summary>Open segments whose last partial was not written as an Unconfirmed final because confirmed finals or a
    /// later partial cover its audio (<see cref="UnconfirmedPartials"/>).</summary>
    public int PartialsSuperseded { get; private set; }

    /// <summary>True when a discarded open segment's text may be lost (<see cref="UnconfirmedPartials.DiscardsLost"/>):
    /// read once the open segments are promoted.</summary>
    public bool DiscardedTextLost => OpenSegmentsDiscarded > 0 && UnconfirmedPartials.DiscardsLost(_discarded, _untimedDiscarded, _finalRanges, _written);
    /// <summary>Reasons to doubt a completed transcript is whole (from the parsers, <see cref="IMessageParser.Doubt"/>).</summary>
    public List<string> Doubts { get; } = new();

    /// <summary>Time ranges of the partials written as Unconfirmed (where they had times).</summary>
    public List<TimeRange> UnconfirmedRanges { get; } = new();

    /// <summary>A new connection starts, after <paramref name="plan"/>'s replay. Partials still open from the previous
    /// connection are dropped when their audio is replayed, and kept when the replay lost audio.</summary>
    public void BeginConnection(Connection conn, ReplayPlan plan)
    {
        _conn = conn;
        _unnumberedOpen = null;
        _dedupe = null;
        if (conn.Generation == 0) return;
        if (plan.Lost is null) { _open.Clear(); _openOrder.Clear(); CountOpen(); }
        if (plan.Chunks.Count == 0) return; // nothing is heard twice
        var overlap = _history.Where(h => h.CommitSent > plan.Offset + 1e-9).SelectMany(h => h.Tokens).ToList();
        _dedupe = new ReplayDeduper(_deliveredStart, overlap);
    }

    /// <summary>Adds one result of the current connection.</summary>
    public void Add(ProviderResult r, long now)
    {
        var conn = _conn ?? throw new InvalidOperationException("No connection has begun.");
        string text = r.Text.Trim();
        double offset = conn.Offset;
        double? start = r.Start + offset, end = r.End + offset;
        double? lastWordStart = null;
        for (int i = r.Words.Count - 1; i >= 0 && lastWordStart is null; i--) lastWordStart = r.Words[i].Start + offset;
        bool hasTimes = _timed && (start is not null || end is not null || lastWordStart is not null);
        double sent = _ledger.Sent;
        // Untimed: the audio sent bounds the result's end; a real-time recogniser cannot have heard more than the
        // wall time since this connection's first audio.
        double realTime = conn.FirstAudioTicks == 0 ? offset : offset + conn.SecondsSince(conn.FirstAudioTicks, now);
        double estimated = Math.Min(sent, realTime);
        bool paced = sent <= realTime + 0.5;
        if (!hasTimes)
        {
            start = paced ? Math.Round(_lastCommit, 3) : null;
            end = paced ? Math.Round(sent, 3) : null;
        }
        int segment = SegmentFor(conn, r);
        if (!r.IsFinal)
        {
            if (hasTimes && TrimReplayedPartial(ref r, offset) is { } trimmed)
            {
                text = trimmed;
                start = r.Start + offset;
            }
            if (text.Length == 0) return;
            Partials++;
            var p = new OpenPartial(r, text, offset, start, end, !hasTimes && start is not null, segment, DateTimeOffset.UtcNow,
                _ledger.LatencyFor(hasTimes ? end ?? lastWordStart ?? start ?? estimated : estimated, now),
                hasTimes ? end ?? lastWordStart : null, _arrivals++); // a start alone does not say how far its text goes
            Open(segment, p);
            if (_emitPartials) _emit(p.ToTranscript(_origin, isFinal: false));
            return;
        }
        var words = OpenPartial.Shift(r.Words, offset);
        if (!Dedupe(ref text, ref words, ref start, hasTimes, r))
        {
            CloseOpen(segment);
            RepeatsDropped++;
            return;
        }
        CloseOpen(segment);
        if (text.Length == 0) return; // the provider finalised the segment to nothing (noise)
        if (r.SegmentKey is not null)
        {
            if (_lastFinalText.TryGetValue(segment, out var previous) && previous == text)
            {
                _log.LogDebug("Dropped a repeated final for segment {Segment}.", segment);
                RepeatsDropped++;
                return;
            }
            _lastFinalText[segment] = text;
        }
        double? began = words.LastOrDefault(w => w.Start is not null)?.Start;
        double coverEnd = hasTimes ? end ?? began ?? start ?? estimated : estimated;
        var t = new Transcript
        {
            Provider = _origin.Provider, Source = _origin.Source, Channel = _origin.Channel, SessionId = _origin.SessionId,
            Segment = segment, IsFinal = true, Text = text, Start = start, End = end, TimesEstimated = !hasTimes && start is not null,
            Confidence = r.Confidence, Language = r.Language ?? _origin.Language, Speaker = r.Speaker ?? _origin.SpeakerLabel,
            ReceivedAt = DateTimeOffset.UtcNow, Latency = _ledger.LatencyFor(coverEnd, now),
            Words = words.Count == 0 ? WordList.Empty : new WordList(words.ToList()),
        };
        Finals++;
        Interlocked.Increment(ref conn.FinalsReceived);
        _ledger.MarkDelivered(coverEnd, hasTimes ? coverEnd : estimated - UntimedReplayMargin);
        if (hasTimes) _finalRanges.Add(start ?? words.FirstOrDefault(w => w.Start is not null)?.Start ?? coverEnd, coverEnd);
        if (hasTimes && (began ?? start ?? end) is double b && b > _deliveredStart) _deliveredStart = b;
        if (!hasTimes) _lastCommit = sent;
        Remember(text, sent);
        _emit(t);
    }

    /// <summary>After a replay, the words of a partial result that were already delivered (it may be written as an
    /// Unconfirmed final): null when none is; otherwise the text left, and <paramref name="r"/> without those words.</summary>
    private string? TrimReplayedPartial(ref ProviderResult r, double offset)
    {
        if (_dedupe is not { Active: true } d || r.Words.Count == 0) return null;
        var keep = r.Words.Where(w => w.Start is not double s || !d.WasDelivered(s + offset)).ToList();
        if (keep.Count == r.Words.Count) return null;
        r = r with { Words = keep, Text = string.Join(" ", keep.Select(w => w.Text)), Start = keep.FirstOrDefault()?.Start };
        return r.Text;
    }

    /// <summary>Applies the replay filter to a final. False: the whole final was already delivered.</summary>
    private bool Dedupe(ref string text, ref IReadOnlyList<TranscriptWord> words, ref double? start, bool hasTimes, ProviderResult r)
    {
        if (_dedupe is not { Active: true } d) return true;
        if (hasTimes && words.Any(w => w.Start is not null))
        {
            var keep = d.KeepTimed(words);
            if (keep.Count == 0) return false;
            if (keep.Count < words.Count)
            {
                _log.LogDebug("Trimmed {Count} replayed word(s) already delivered from: {Text}", words.Count - keep.Count, text);
                words = keep;
                text = string.Join(" ", keep.Select(w => w.Text));
                start = keep[0].Start;
            }
            return true;
        }
        if (hasTimes) return !d.IsTimedRepeat(start, r.End + _conn!.Offset);
        var shown = ReplayDeduper.Words(text);
        int delivered = d.DeliveredPrefix(shown.Select(ReplayDeduper.Normalise).ToList());
        if (delivered == 0) return true;
        if (delivered >= shown.Length) return false;
        _log.LogDebug("Trimmed {Count} replayed word(s) already delivered from: {Text}", delivered, text);
        text = string.Join(" ", shown[delivered..]);
        return true;
    }

    private int SegmentFor(Connection conn, ProviderResult r)
    {
        if (r.SegmentKey is null)
        {
            int s = _unnumberedOpen ?? _nextSegment++;
            _unnumberedOpen = r.IsFinal ? null : s;
            return s;
        }
        var key = (conn.Generation, r.SegmentKey);
        if (_numbered.TryGetValue(key, out int segment)) return segment;
        segment = _nextSegment++;
        _numbered[key] = segment;
        _numberedOrder.Enqueue(key);
        if (_numberedOrder.Count > MaxNumberedSegments && _numberedOrder.TryDequeue(out var old) && _numbered.Remove(old, out int oldSegment))
            _lastFinalText.Remove(oldSegment);
        return segment;
    }

    private void Open(int segment, OpenPartial p)
    {
        if (!_open.ContainsKey(segment)) _openOrder.Enqueue(segment);
        _open[segment] = p;
        while (_open.Count > MaxOpenSegments && _openOrder.TryDequeue(out int oldest))
            if (_open.Remove(oldest, out var gone))
            {
                OpenSegmentsDiscarded++;
                if (gone.Start is double s && gone.Reach is double r) _discarded.Add(s, r);
                else _untimedDiscarded = true;
            }
        CountOpen();
    }

    private void CloseOpen(int segment)
    {
        _open.Remove(segment);
        CountOpen();
        if (_openOrder.Count > 4 * MaxOpenSegments) // forget closed ids now and then
        {
            var live = _openOrder.Where(_open.ContainsKey).ToList();
            _openOrder.Clear();
            foreach (var s in live) _openOrder.Enqueue(s);
        }
    }

    private void Remember(string text, double commitSent)
    {
        _history.Enqueue((ReplayDeduper.Words(text).Select(ReplayDeduper.Normalise).ToArray(), commitSent));
        while (_history.Count > HistoryLimit) _history.Dequeue();
    }

    /// <summary>Results the parser still held when its connection completed (iApp's last sentence).</summary>
    public void AddFinished(IEnumerable<ProviderResult> results, long now)
    {
        foreach (var r in results) Add(r, now);
    }

    /// <summary>True when segments with only partial results are open. Read by the connection runner while the receive
    /// loop writes: a count kept apart from the dictionary.</summary>
    public bool HasOpenSegments => Volatile.Read(ref _openCount) > 0;

    private int _openCount;

    private void CountOpen() => Volatile.Write(ref _openCount, _open.Count);

    /// <summary>Writes the last partial of every open segment as a final marked Unconfirmed (the provider never
    /// confirmed it), except those superseded by confirmed finals or by later partials over the same audio
    /// (<see cref="UnconfirmedPartials"/>: no text for audio without a confirmed final is dropped). Returns how many.</summary>
    public int PromoteOpenSegments()
    {
        int n = 0;
        double sent = _ledger.Sent;
        var written = UnconfirmedPartials.Select(_open.Values, _finalRanges, out int superseded);
        foreach (var partial in written)
        {
            var f = partial.ToTranscript(_origin, isFinal: true);
            // A partial with a start but no end (Voxist) may run to the end of the audio sent.
            if (f.Start is double s) UnconfirmedRanges.Add(new TimeRange(s, Math.Max(s, f.End ?? sent)));
            if (partial.Start is double from && partial.Reach is double to) _written.Add(from, to);
            _emit(f);
            n++;
        }
        PartialsSuperseded += superseded;
        _open.Clear();
        _openOrder.Clear();
        CountOpen();
        Unconfirmed += n;
        return n;
    }
}
