using Microsoft.Extensions.Logging.Abstractions;
using SpeechStream.Engine.Providers;
using SpeechStream.Engine.Sessions;
using SpeechStream.Engine.Transcripts;

namespace SpeechStream.Tests;

/// <summary>The result assembler's parts, each with plain values: time offsets (<see cref="ResultTimes"/>), segment ids
/// (<see cref="SegmentIds"/>), replay de-duplication (<see cref="ReplayFilter"/>) and unconfirmed promotion
/// (<see cref="OpenSegments"/>). No ledger, clock or socket.</summary>
public class AssemblerPartsTests
{
    private static ProviderResult Result(string? key, bool final, string text, double? start = null, double? end = null,
        params TranscriptWord[] words) => new(key, final, text, start, end, words);

    private static ReplayPlan Replay(double offset, double seconds, TimeRange? lost = null) =>
        new(new[] { new AudioChunk(0, 0, (int)(seconds * 32000), offset, offset + seconds) }, offset, lost);

    // ---- time offsets ----

    [Fact]
    public void Timed_results_are_shifted_by_the_connections_offset()
    {
        var t = ResultTimes.Place(Result("0", true, "a b", 1.0, 2.0, new TranscriptWord("a", 1.0, 1.4, null), new TranscriptWord("b", 1.5, 2.0, null)),
            offsetSeconds: 10, providerSendsTimes: true, sentSeconds: 13, sinceFirstAudioSeconds: 3, lastCommitSeconds: 0);
        Assert.True(t.HasTimes);
        Assert.Equal((11.0, 12.0, 11.5), (t.Start!.Value, t.End!.Value, t.LastWordStart!.Value));
        Assert.False(t.TimesEstimated);
        Assert.Equal(13, t.EstimatedSeconds); // real time (10 + 3) and the audio sent (13) agree
    }

    [Fact]
    public void Untimed_results_are_estimated_from_the_audio_sent_only_when_the_upload_was_paced()
    {
        var paced = ResultTimes.Place(Result(null, true, "x"), 0, providerSendsTimes: false, sentSeconds: 4.0, sinceFirstAudioSeconds: 4.2, lastCommitSeconds: 1.23456);
        Assert.Equal((1.235, 4.0), (paced.Start!.Value, paced.End!.Value));
        Assert.True(paced.TimesEstimated);
        Assert.Equal(4.0, paced.EstimatedSeconds);

        var ahead = ResultTimes.Place(Result(null, true, "x"), 0, providerSendsTimes: false, sentSeconds: 20, sinceFirstAudioSeconds: 2, lastCommitSeconds: 1);
        Assert.Null(ahead.Start);
        Assert.Null(ahead.End);
        Assert.False(ahead.TimesEstimated);
        Assert.Equal(2, ahead.EstimatedSeconds); // bounded by real time, not by the 20 s sent
    }

    [Fact]
    public void Times_from_a_provider_that_does_not_send_times_are_ignored_and_no_audio_yet_means_the_offset()
    {
        var t = ResultTimes.Place(Result(null, true, "x", 5, 6), offsetSeconds: 3, providerSendsTimes: false, sentSeconds: 3, sinceFirstAudioSeconds: null, lastCommitSeconds: 3);
        Assert.False(t.HasTimes);
        Assert.Equal((3.0, 3.0), (t.Start!.Value, t.End!.Value)); // paced: nothing sent beyond the offset
        Assert.Equal(3, t.EstimatedSeconds);
    }

    // ---- segment ids ----

    [Fact]
    public void Numbered_segments_keep_their_id_per_connection_and_unnumbered_finals_close_theirs()
    {
        var ids = new SegmentIds();
        int a = ids.For(0, "7", isFinal: false);
        Assert.Equal(a, ids.For(0, "7", isFinal: true));
        Assert.NotEqual(a, ids.For(1, "7", isFinal: false)); // the same number on a new connection is a new segment
        int open = ids.For(0, null, isFinal: false);
        Assert.Equal(open, ids.For(0, null, isFinal: false));
        Assert.Equal(open, ids.For(0, null, isFinal: true));
        Assert.NotEqual(open, ids.For(0, null, isFinal: true)); // each unnumbered final after is its own
        int left = ids.For(0, null, isFinal: false);
        ids.BeginConnection();
        Assert.NotEqual(left, ids.For(1, null, isFinal: false));
    }

    [Fact]
    public void A_final_repeating_its_segments_last_final_is_a_repeat_a_different_one_an_update()
    {
        var ids = new SegmentIds();
        Assert.False(ids.RepeatsLastFinal(3, "hello"));
        Assert.True(ids.RepeatsLastFinal(3, "hello"));
        Assert.False(ids.RepeatsLastFinal(3, "hello!"));
        Assert.False(ids.RepeatsLastFinal(4, "hello!"));
    }

    [Fact]
    public void Old_segment_numbers_are_forgotten_past_the_limit()
    {
        var ids = new SegmentIds();
        int first = ids.For(0, "k0", isFinal: false);
        for (int i = 1; i <= SegmentIds.MaxNumbered; i++) ids.For(0, "k" + i, isFinal: false);
        Assert.NotEqual(first, ids.For(0, "k0", isFinal: false));
    }

    // ---- replay de-duplication ----

    [Fact]
    public void Without_a_replay_nothing_is_filtered()
    {
        var f = new ReplayFilter(NullLogger.Instance);
        f.Delivered("hello world", 2, 1.0);
        f.BeginConnection(0, Replay(0, 2));
        Assert.False(f.Active);
        var final = new FilteredFinal("hello world", Array.Empty<TranscriptWord>(), 0.5);
        Assert.Equal(final, f.FilterFinal(final, hasTimes: false, end: null));
    }

    [Fact]
    public void After_a_replay_delivered_timed_words_are_trimmed_from_finals_and_partials()
    {
        var f = new ReplayFilter(NullLogger.Instance);
        f.Delivered("one two", 3, startedSeconds: 2.0); // the last delivered word started at 2.0 s
        f.BeginConnection(1, Replay(1.0, 3));
        Assert.True(f.Active);
        var words = new[] { new TranscriptWord("two", 2.0, 2.4, null), new TranscriptWord("three", 2.5, 2.9, null) };
        Assert.Null(f.FilterFinal(new FilteredFinal("two", new[] { words[0] }, 2.0), hasTimes: true, end: 2.4));
        var kept = f.FilterFinal(new FilteredFinal("two three", words, 2.0), hasTimes: true, end: 2.9);
        Assert.Equal("three", kept!.Value.Text);
        Assert.Equal(2.5, kept.Value.Start);
        Assert.False(f.Active); // a result past what was delivered ends the filtering

        var g = new ReplayFilter(NullLogger.Instance);
        g.Delivered("one two", 3, startedSeconds: 2.0);
        g.BeginConnection(1, Replay(1.0, 3));
        // Partial word times are the connection's: offset 1.0 puts "two" at 2.0 s, delivered.
        var partial = g.TrimPartial(Result("0", false, "two three", 1.0, 1.9, new TranscriptWord("two", 1.0, 1.4, null), new TranscriptWord("three", 1.5, 1.9, null)), 1.0);
        Assert.Equal("three", partial!.Text);
        Assert.Equal(1.5, partial.Start);
    }

    [Fact]
    public void After_a_replay_untimed_text_continuing_what_was_delivered_is_trimmed()
    {
        var f = new ReplayFilter(NullLogger.Instance);
        f.Delivered("the first sentence", 5, null);
        f.Delivered("and the second one", 10, null);
        f.BeginConnection(1, Replay(4.0, 6));
        Assert.Null(f.FilterFinal(new FilteredFinal("first sentence", Array.Empty<TranscriptWord>(), null), false, null));
        var rest = f.FilterFinal(new FilteredFinal("and the second one and a third", Array.Empty<TranscriptWord>(), null), false, null);
        Assert.Equal("and a third", rest!.Value.Text);
    }

    // ---- unconfirmed promotion ----

    private static OpenPartial Partial(int segment, string text, double? start, double? end, long arrival, string? speaker = null) =>
        new(Result(segment.ToString(), false, text, start, end) with { Speaker = speaker }, text, 0, start, end, false, segment,
            DateTimeOffset.UnixEpoch, null, end, arrival);

    [Fact]
    public void Open_segments_beyond_the_capacity_discard_the_oldest_and_count_them()
    {
        var open = new OpenSegments(capacity: 2);
        open.Open(0, Partial(0, "a", 0, 1, 0));
        open.Open(1, Partial(1, "b", 1, 2, 1));
        open.Open(2, Partial(2, "c", 2, 3, 2));
        Assert.Equal(1, open.Discarded);
        Assert.True(open.HasOpen);
        Assert.Equal(new[] { "b", "c" }, open.Promote(sentSeconds: 3).Select(p => p.Text));
        Assert.False(open.HasOpen);
        Assert.True(open.DiscardedTextLost); // segment 0's audio is covered by neither a final nor a row
    }

    [Fact]
    public void Promotion_skips_partials_covered_by_finals_or_by_a_later_partial_and_records_the_ranges()
    {
        var open = new OpenSegments(capacity: 10);
        open.FinalCovers(0, 2);
        open.Open(0, Partial(0, "covered", 0.5, 1.5, 0));
        open.Open(1, Partial(1, "early", 3, 4, 1));
        open.Open(2, Partial(2, "later and longer", 3, 5, 2));
        open.Open(3, Partial(3, "closed", 6, 7, 3));
        open.Close(3);
        var written = open.Promote(sentSeconds: 8);
        Assert.Equal(new[] { "later and longer" }, written.Select(p => p.Text));
        Assert.Equal(2, open.Superseded);
        Assert.Equal(new[] { new TimeRange(3, 5) }, open.UnconfirmedRanges);
    }

    [Fact]
    public void A_partial_with_a_start_and_no_end_runs_to_the_audio_sent_and_clearing_writes_nothing()
    {
        var open = new OpenSegments(capacity: 10);
        open.Open(0, Partial(0, "no end", 2, null, 0));
        Assert.Single(open.Promote(sentSeconds: 9));
        Assert.Equal(new[] { new TimeRange(2, 9) }, open.UnconfirmedRanges);
        open.Open(1, Partial(1, "replayed", 9, 10, 1));
        open.Clear();
        Assert.False(open.HasOpen);
        Assert.Empty(open.Promote(sentSeconds: 10));
    }
}
