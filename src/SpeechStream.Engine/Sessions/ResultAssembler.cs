using System.Diagnostics;
using Microsoft.Extensions.Logging;
using SpeechStream.Engine.Providers;
using SpeechStream.Engine.Transcripts;

namespace SpeechStream.Engine.Sessions;

/// <summary>
/// Turns provider results into transcripts on the file's timeline, exactly once and in order, with one part per job
/// (each testable with plain values):
/// <list type="bullet">
/// <item>times (<see cref="ResultTimes"/>): the connection's offset added; where the provider sends none (iApp), estimated from the audio sent
/// when the result came (start = the previous commit, end = this one) and marked <c>TimesEstimated</c>, but left empty
/// when the upload ran ahead of real time (the estimate would be wrong);</item>
/// <item>segments (<see cref="SegmentIds"/>): the provider's own number on this connection, or, where it numbers none, each final its own
/// segment; a final that repeats its numbered segment's text is dropped, a different one is an update;</item>
/// <item>after a replay, repeats are removed (<see cref="ReplayFilter"/>, by <see cref="ReplayDeduper"/>) (by time, or by text without times);</item>
/// <item>delivery: each final moves the ledger's delivered point (and, with a margin where there are no times, the
/// replay floor);</item>
/// <item>open segments (<see cref="OpenSegments"/>: partials with no final yet) are kept, at most <see cref="MaxOpenSegments"/> (the oldest are
/// discarded and counted, their time ranges kept), to be written as finals marked <c>Unconfirmed</c> when the session
/// ends without them, except those superseded by confirmed finals or later partials (<see cref="UnconfirmedPartials"/>).</item>
/// </list>
/// Used by one connection's receive loop at a time, then by the supervisor once the connections are over.
/// </summary>
internal sealed class ResultAssembler
{
    /// <summary>Most segments open at once (<see cref="OpenSegments.Capacity"/>).</summary>
    public const int MaxOpenSegments = 256;
    /// <summary>Untimed results: replay this much audio (s) before the estimated delivered point.</summary>
    public const double UntimedReplayMargin = 3.0;

    private readonly TranscriptOrigin _origin;
    private readonly bool _timed, _emitPartials;
    private readonly AudioLedger _ledger;
    private readonly Action<Transcript> _emit;
    private readonly ILogger _log;
    private readonly SegmentIds _segments = new();
    private readonly ReplayFilter _replay;
    private readonly OpenSegments _open = new(MaxOpenSegments);
    private readonly ResultTally _tally = new();
    /// <summary>The current connection's generation and the file time (s) of its first sample; null before one began.</summary>
    private (int Generation, double OffsetSeconds)? _connection;
    /// <summary>The audio sent (s) when the last untimed final came.</summary>
    private double _lastCommitSeconds;

    /// <param name="origin">What every transcript of the session carries.</param>
    /// <param name="providerSendsTimes">The provider's results carry times (else they are estimated).</param>
    /// <param name="ledger">The session's audio: read for the audio sent and latency, told what finals deliver.</param>
    /// <param name="emit">Receives every transcript, in order.</param>
    /// <param name="log">For debug messages about dropped repeats.</param>
    /// <param name="emitPartials">Hand partial results to <paramref name="emit"/>; false when the caller wants finals only.</param>
    public ResultAssembler(TranscriptOrigin origin, bool providerSendsTimes, AudioLedger ledger, Action<Transcript> emit, ILogger log, bool emitPartials = true)
    {
        _emitPartials = emitPartials;
        _origin = origin;
        _timed = providerSendsTimes;
        _ledger = ledger;
        _emit = emit;
        _log = log;
        _replay = new ReplayFilter(log);
    }

    /// <summary>Finals emitted (not counting those written as Unconfirmed).</summary>
    public int Finals => _tally.Finals;
    /// <summary>Partial results with text received.</summary>
    public int Partials => _tally.Partials;
    /// <summary>Open segments written as finals marked Unconfirmed.</summary>
    public int Unconfirmed => _tally.Unconfirmed;
    /// <summary>Finals dropped as repeats (of a replay, or of their segment's last final).</summary>
    public int RepeatsDropped => _tally.RepeatsDropped;
    /// <summary>Open segments discarded because more than <see cref="MaxOpenSegments"/> were open at once.</summary>
    public int OpenSegmentsDiscarded => _open.Discarded;
    /// <summary>Open segments whose last partial was not written as an Unconfirmed final because confirmed finals or a
    /// later partial cover its audio (<see cref="UnconfirmedPartials"/>).</summary>
    public int PartialsSuperseded => _open.Superseded;

    /// <summary>True when a discarded open segment's text may be lost (<see cref="UnconfirmedPartials.DiscardsLost"/>):
    /// read once the open segments are promoted.</summary>
    public bool DiscardedTextLost => _open.DiscardedTextLost;

    /// <summary>Reasons to doubt a completed transcript is whole (from the parsers, <see cref="IMessageParser.Doubt"/>).</summary>
    public IReadOnlyList<string> Doubts => _tally.Doubts;

    /// <summary>Time ranges (s) of the partials written as Unconfirmed (where they had times).</summary>
    public IReadOnlyList<TimeRange> UnconfirmedRanges => _open.UnconfirmedRanges;

    /// <summary>True when segments with only partial results are open. Safe to read while the receive loop writes.</summary>
    public bool HasOpenSegments => _open.HasOpen;

    /// <summary>Records a reason to doubt the transcript is whole (a parser's <see cref="IMessageParser.Doubt"/>).</summary>
    public void AddDoubt(string doubt) => _tally.Doubts.Add(doubt);

    /// <summary>Connection <paramref name="generation"/> starts, after <paramref name="plan"/>'s replay (its offset is
    /// the file time of the connection's first sample). Partials still open from the previous connection are dropped
    /// when their audio is replayed, and kept when the replay lost audio.</summary>
    public void BeginConnection(int generation, ReplayPlan plan)
    {
        _connection = (generation, plan.OffsetSeconds);
        _segments.BeginConnection();
        if (generation > 0 && plan.Lost is null) _open.Clear();
        _replay.BeginConnection(generation, plan);
    }

    /// <summary>Adds one result of the current connection, received at <paramref name="now"/> (Stopwatch ticks of the
    /// session clock); <paramref name="firstAudioTicks"/>: when the connection's first audio went out (0: none yet).
    /// Returns true when it delivered a final.</summary>
    /// <exception cref="InvalidOperationException">No connection has begun (<see cref="BeginConnection"/>).</exception>
    public bool Add(ProviderResult r, long now, long firstAudioTicks = 0)
    {
        var (generation, offset) = _connection ?? throw new InvalidOperationException("No connection has begun.");
        double sent = _ledger.SentSeconds;
        double? since = firstAudioTicks == 0 ? null : (now - firstAudioTicks) / (double)Stopwatch.Frequency;
        var times = ResultTimes.Place(r, offset, _timed, sent, since, _lastCommitSeconds);
        int segment = _segments.For(generation, r.SegmentKey, r.IsFinal);
        if (!r.IsFinal)
        {
            AddPartial(r, times, offset, segment, now);
            return false;
        }
        var kept = _replay.FilterFinal(new FilteredFinal(r.Text.Trim(), OpenPartial.Shift(r.Words, offset), times.Start), times.HasTimes, times.End);
        _open.Close(segment);
        if (kept is not { } f)
        {
            _tally.RepeatsDropped++;
            return false;
        }
        if (f.Text.Length == 0) return false; // the provider finalised the segment to nothing (noise)
        if (r.SegmentKey is not null && _segments.RepeatsLastFinal(segment, f.Text))
        {
            _log.LogDebug("Dropped a repeated final for segment {Segment}.", segment);
            _tally.RepeatsDropped++;
            return false;
        }
        AddFinal(r, f, times, segment, sent, now);
        return true;
    }

    private void AddPartial(ProviderResult r, PlacedTimes times, double offset, int segment, long now)
    {
        string text = r.Text.Trim();
        double? start = times.Start;
        if (times.HasTimes && _replay.TrimPartial(r, offset) is { } trimmed)
        {
            r = trimmed;
            text = trimmed.Text;
            start = r.Start + offset;
        }
        if (text.Length == 0) return;
        _tally.Partials++;
        // A start alone does not say how far its text goes: the reach is its end, else its last word's start.
        double? reach = times.HasTimes ? times.End ?? times.LastWordStart : null;
        double latencyAt = times.HasTimes ? times.End ?? times.LastWordStart ?? start ?? times.EstimatedSeconds : times.EstimatedSeconds;
        var p = new OpenPartial(r, text, offset, start, times.End, times.TimesEstimated, segment, DateTimeOffset.UtcNow,
            _ledger.LatencyFor(latencyAt, now), reach, _open.NextArrival());
        _open.Open(segment, p);
        if (_emitPartials) _emit(p.ToTranscript(_origin, isFinal: false));
    }

    private void AddFinal(ProviderResult r, FilteredFinal f, PlacedTimes times, int segment, double sent, long now)
    {
        bool hasTimes = times.HasTimes;
        double? start = f.Start, end = times.End;
        double? began = f.Words.LastOrDefault(w => w.Start is not null)?.Start;
        double coverEnd = hasTimes ? end ?? began ?? start ?? times.EstimatedSeconds : times.EstimatedSeconds;
        var t = new Transcript
        {
            Provider = _origin.Provider, Source = _origin.Source, Channel = _origin.Channel, SessionId = _origin.SessionId,
            Segment = segment, IsFinal = true, Text = f.Text, Start = start, End = end, TimesEstimated = !hasTimes && start is not null,
            Confidence = r.Confidence, Language = r.Language ?? _origin.Language, Speaker = r.Speaker ?? _origin.SpeakerLabel,
            ReceivedAt = DateTimeOffset.UtcNow, Latency = _ledger.LatencyFor(coverEnd, now),
            Words = f.Words.Count == 0 ? WordList.Empty : new WordList(f.Words.ToList()),
        };
        _tally.Finals++;
        _ledger.MarkDelivered(coverEnd, hasTimes ? coverEnd : times.EstimatedSeconds - UntimedReplayMargin);
        if (hasTimes) _open.FinalCovers(start ?? f.Words.FirstOrDefault(w => w.Start is not null)?.Start ?? coverEnd, coverEnd);
        if (!hasTimes) _lastCommitSeconds = sent;
        _replay.Delivered(f.Text, sent, hasTimes ? began ?? start ?? end : null);
        _emit(t);
    }

    /// <summary>Results the parser still held when its connection completed (iApp's last sentence), received at
    /// <paramref name="now"/> (Stopwatch ticks). Returns how many finals they delivered.</summary>
    public int AddFinished(IEnumerable<ProviderResult> results, long now, long firstAudioTicks = 0)
    {
        int finals = 0;
        foreach (var r in results)
            if (Add(r, now, firstAudioTicks)) finals++;
        return finals;
    }

    /// <summary>Writes the last partial of every open segment as a final marked Unconfirmed (the provider never
    /// confirmed it), except those superseded by confirmed finals or by later partials over the same audio
    /// (<see cref="UnconfirmedPartials"/>: no text for audio without a confirmed final is dropped). Returns how many.</summary>
    public int PromoteOpenSegments()
    {
        var written = _open.Promote(_ledger.SentSeconds);
        foreach (var partial in written) _emit(partial.ToTranscript(_origin, isFinal: true));
        _tally.Unconfirmed += written.Count;
        return written.Count;
    }

    /// <summary>What the assembler counted and noted for the session's summary (read through the properties above).</summary>
    private sealed class ResultTally
    {
        public int Finals, Partials, Unconfirmed, RepeatsDropped;
        public readonly List<string> Doubts = new();
    }
}
