using System.Diagnostics;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging.Abstractions;
using SpeechStream.Engine;
using SpeechStream.Engine.Diagnostics;
using SpeechStream.Engine.Jobs;
using SpeechStream.Engine.Providers;
using SpeechStream.Engine.Sessions;
using SpeechStream.Engine.Transcripts;

namespace SpeechStream.Tests;

/// <summary>The parts of the session, each with one job, tested without a socket.</summary>
public class SessionPartsTests
{
    // ---- the close-code table ----

    [Theory]
    [InlineData(1000, "", true, CloseKind.NormalAfterEnd)]
    [InlineData(1005, "", true, CloseKind.NormalAfterEnd)]
    [InlineData(1000, "", false, CloseKind.Transient)]
    [InlineData(1001, "going away", false, CloseKind.Transient)]
    [InlineData(1006, "", true, CloseKind.Transient)]
    [InlineData(1011, "internal error", false, CloseKind.Transient)]
    [InlineData(1012, "service restart", false, CloseKind.Transient)]
    [InlineData(1013, "try again later", false, CloseKind.Transient)]
    [InlineData(1014, "bad gateway", false, CloseKind.Transient)]
    [InlineData(1008, "Invalid API key", false, CloseKind.Authentication)]
    [InlineData(1008, "token expired", true, CloseKind.Authentication)]
    [InlineData(1008, "Unauthorized", false, CloseKind.Authentication)]
    [InlineData(1008, "rate limit", false, CloseKind.Refused)]
    [InlineData(1003, "unsupported data", false, CloseKind.Refused)]
    [InlineData(1007, "", false, CloseKind.Refused)]
    [InlineData(4000, "custom", false, CloseKind.Refused)]
    public void The_engine_reads_every_close_code_from_one_table(int code, string reason, bool endSent, CloseKind kind)
    {
        var v = CloseCodes.Classify("P", code, reason, endSent);
        Assert.Equal(kind, v.Kind);
        Assert.Equal(kind == CloseKind.Transient, v.Error.IsTransient);
        Assert.Equal(code, v.Error.CloseCode);
        Assert.Contains(code.ToString(), v.Error.Message);
    }

    [Theory]
    [InlineData("Voxist", 1011, "No streaming engine for sv", false, CloseKind.Refused, "VoxistEngineUnavailable")]
    [InlineData("Voxist", 1011, "engine timeout", false, CloseKind.Transient, "ConnectionClosed")]
    [InlineData("Voxist", 1008, "Token expired", false, CloseKind.Transient, "VoxistTokenExpired")]
    [InlineData("Voxist", 1008, "Invalid API key", false, CloseKind.Authentication, "AuthenticationFailed")]
    [InlineData("Voxist", 1008, "Unsupported language", false, CloseKind.Refused, "VoxistPolicyViolation")]
    [InlineData("Voxist", 1003, "Unexpected text frame: Done", true, CloseKind.NormalAfterEnd, "VoxistRefusedEndFrame")]
    [InlineData("Voxist", 1013, "{\"error\":\"server_overloaded\",\"retryAfterMs\":1500}", false, CloseKind.Transient, "VoxistOverloaded")]
    [InlineData("VoxNexus", 4001, "whatever", false, CloseKind.Transient, "VoxNexusClosed")]
    [InlineData("VoxNexus", 1008, "Invalid API key", false, CloseKind.Authentication, "AuthenticationFailed")]
    [InlineData("Smallest", 1008, "concurrency limit", false, CloseKind.Refused, "SmallestConcurrencyLimit")]
    [InlineData("IApp", 1000, "", true, CloseKind.NormalAfterEnd, "ClosedWithoutCompletion")]
    [InlineData("Speechall", 1001, "", false, CloseKind.Transient, "ConnectionClosed")]
    public void A_provider_overrides_the_table_only_where_its_document_says(string provider, int code, string reason, bool endSent, CloseKind kind, string errorId)
    {
        var v = ProviderRegistry.Get(provider).ClassifyClose(code, reason, endSent);
        Assert.Equal((kind, errorId), (v.Kind, v.Error.ErrorId));
        if (errorId == "VoxistOverloaded") Assert.Equal(TimeSpan.FromMilliseconds(1500), v.Error.RetryAfter);
    }

    // ---- replay de-duplication ----

    private static TranscriptWord W(string text, double start) => new(text, start, start + 0.2, null);

    [Fact]
    public void A_replayed_word_is_a_repeat_only_when_it_starts_no_later_than_the_last_delivered_one()
    {
        // "there" (delivered) started at 4.33 and ended at 4.52; "might" starts at 4.53, right after it ended.
        var d = new ReplayDeduper(4.33, Array.Empty<string>());
        var kept = d.KeepTimed(new[] { W("there", 4.335), W("might", 4.53), W("be", 4.79) });
        Assert.Equal(new[] { "might", "be" }, kept.Select(w => w.Text));
        Assert.False(d.Active); // past the delivered audio: nothing later is filtered
        Assert.Single(d.KeepTimed(new[] { W("again", 1.0) }));
    }

    [Fact]
    public void Untimed_text_is_aligned_with_what_was_delivered_from_the_middle_of_a_sentence_on()
    {
        var delivered = "and mister john dashwood had then leisure".Split(' ');
        var d = new ReplayDeduper(0, delivered);
        // The replay began mid-word: its first final starts with the end of "dashwood".
        Assert.Equal(3, d.DeliveredPrefix(new[] { "wood", "had", "then" }));
        Assert.Equal(1, d.DeliveredPrefix(new[] { "leisure", "to", "consider" }));
        Assert.False(d.Active);
        Assert.Equal(0, d.DeliveredPrefix(new[] { "leisure" }));
    }

    [Fact]
    public void Untimed_text_that_does_not_line_up_is_kept_whole_rather_than_guessed_away()
    {
        var d = new ReplayDeduper(0, "one two three four".Split(' '));
        Assert.Equal(0, d.DeliveredPrefix(new[] { "two", "seven", "eight" })); // matches one word, then not: not convincing
        Assert.False(d.Active);
        var e = new ReplayDeduper(0, "one two three four".Split(' '));
        Assert.Equal(2, e.DeliveredPrefix(new[] { "three", "four" }));
        Assert.Equal(0, e.DeliveredPrefix(new[] { "five" }));
    }

    [Fact]
    public void Words_compare_without_case_or_punctuation() =>
        Assert.Equal(new[] { "hello", "world", "it's" }, new[] { "Hello,", "«World»", "It's" }.Select(ReplayDeduper.Normalise));

    // ---- the result assembler ----

    [Fact]
    public void Without_provider_numbers_each_final_is_its_own_segment_and_equal_texts_both_stay()
    {
        var a = new AssemblerHarness(timed: true);
        a.Send(4);
        a.Add(null, false, "bonjour", 0.5, 0.9);
        a.Add(null, true, "bonjour monde", 0.5, 1.4);
        a.Add(null, true, "bonjour monde", 3.0, 3.9);
        var finals = a.Out.Where(t => t.IsFinal).ToList();
        Assert.Equal(2, finals.Count);
        Assert.Equal(a.Out[0].Segment, finals[0].Segment); // the partial belonged to the segment its final closed
        Assert.NotEqual(finals[0].Segment, finals[1].Segment);
    }

    [Fact]
    public void A_numbered_segment_repeated_word_for_word_is_dropped_and_a_changed_one_is_an_update()
    {
        var a = new AssemblerHarness(timed: true);
        a.Send(4);
        a.Add("0", true, "hello world", 0.1, 1.0);
        a.Add("0", true, "hello world", 0.1, 1.0);
        a.Add("0", true, "hello, world!", 0.1, 1.0);
        Assert.Equal(new[] { "hello world", "hello, world!" }, a.Out.Select(t => t.Text));
        Assert.Equal(a.Out[0].Segment, a.Out[1].Segment);
        Assert.Equal(1, a.Assembler.RepeatsDropped);
    }

    [Fact]
    public void Untimed_results_get_estimated_times_when_paced_and_none_when_the_upload_ran_ahead()
    {
        var a = new AssemblerHarness(timed: false);
        a.FirstAudioTicks = 1;
        a.Send(1.0);
        a.Now = 1 + (long)(1.2 * Stopwatch.Frequency); // 1.2 s after the first audio: paced
        a.Add(null, true, "first sentence");
        Assert.Equal((0.0, 1.0), (a.Out[0].Start!.Value, a.Out[0].End!.Value));
        Assert.True(a.Out[0].TimesEstimated);
        a.Send(20.0); // 21 s sent 1.3 s in: far ahead of real time
        a.Now = 1 + (long)(1.3 * Stopwatch.Frequency);
        a.Add(null, true, "second sentence");
        Assert.Null(a.Out[1].Start);
        Assert.Null(a.Out[1].End);
        Assert.False(a.Out[1].TimesEstimated); // no times at all, so none estimated
        // The delivered point stays where a real-time recogniser could have been (1.3 s), not at 21 s.
        Assert.InRange(a.Ledger.DeliveredSeconds, 1.2, 1.4);
    }

    [Fact]
    public void After_a_replay_the_new_connections_repeats_of_delivered_untimed_text_are_removed()
    {
        var a = new AssemblerHarness(timed: false);
        a.FirstAudioTicks = 1;
        a.Send(10);
        a.Now = 1 + 10 * Stopwatch.Frequency;
        a.Add(null, true, "the first sentence");
        a.Add(null, true, "and the second one");
        a.Connect(1); // replays from the replay floor, before both
        a.FirstAudioTicks = a.Now;
        a.Add(null, true, "first sentence");
        a.Add(null, true, "and the second one and a third");
        Assert.Equal(new[] { "the first sentence", "and the second one", "and a third" }, a.Out.Select(t => t.Text));
    }

    // ---- the ledger ----

    private static byte[] Tone(double seconds, double amplitude = 8000)
    {
        var b = new byte[(int)(seconds * 16000) * 2];
        for (int i = 0; i < b.Length / 2; i++)
        {
            short v = (short)(amplitude * Math.Sin(2 * Math.PI * 440 * i / 16000.0));
            b[2 * i] = (byte)v;
            b[2 * i + 1] = (byte)(v >> 8);
        }
        return b;
    }

    [Fact]
    public void The_ledger_replays_from_the_delivered_point_keeps_the_last_two_seconds_and_names_what_it_lost()
    {
        var l = new AudioLedger(replayCapacity: 5, bytesPerSecond: 32000);
        for (int i = 0; i < 40; i++) l.Append(new byte[3200]); // 4 s in 100 ms chunks
        l.MarkDelivered(3.0, 3.0);
        var plan = l.BeginReplay();
        Assert.Equal(2.0, plan.OffsetSeconds, 3); // the last 2 s are always kept
        Assert.Null(plan.Lost);
        for (int i = 0; i < 60; i++) l.Append(new byte[3200]); // 10 s in all, 5 s kept at most
        var lossy = l.BeginReplay();
        Assert.Equal(5.0, lossy.OffsetSeconds, 3);
        Assert.Equal(3.0, lossy.Lost!.Value.Start, 3);
        Assert.Equal(5.0, lossy.Lost!.Value.End, 3);
        Assert.Equal(lossy.Lost, Assert.Single(l.Lost));
    }

    [Fact]
    public void The_voiced_tail_ignores_trailing_silence_and_counts_sound()
    {
        var l = new AudioLedger(30, 32000);
        l.Append(Tone(1.0));
        l.MarkDelivered(1.0, 1.0);
        l.Append(new byte[32000 * 2]); // 2 s of silence after the last final
        Assert.Equal(0, l.VoicedTail(), 3);
        l.Append(Tone(0.5));
        Assert.InRange(l.VoicedTail(), 2.49, 2.51);
        var quiet = new AudioLedger(30, 32000);
        quiet.Append(Tone(1.0, amplitude: 200)); // -44 dBFS: below the threshold
        Assert.Equal(0, quiet.VoicedTail(), 3);
    }

    [Fact]
    public void Latency_is_measured_from_the_send_of_the_audio_a_result_covers()
    {
        var l = new AudioLedger(30, 32000);
        var c1 = l.Append(new byte[32000]);
        l.MarkSent(c1, 1000, replayed: false);
        var c2 = l.Append(new byte[32000]);
        l.MarkSent(c2, 2000, replayed: false);
        Assert.Equal(Math.Round((5000 - 2000) / (double)Stopwatch.Frequency, 3), l.LatencyFor(1.5, 5000));
        Assert.Null(l.LatencyFor(3.0, 5000));
    }

    // ---- completion policies ----

    private static DrainState At(double now, double endSent = 0, double lastFrame = 0, double tail = 0, double voiced = 0) =>
        new((long)(now * Stopwatch.Frequency), (long)(endSent * Stopwatch.Frequency), (long)(lastFrame * Stopwatch.Frequency), tail, voiced);

    [Fact]
    public void A_marker_completes_after_the_grace_and_a_frame_in_the_grace_extends_it()
    {
        var p = CompletionPolicy.For(new Engine.Providers.Smallest.SmallestProtocol(), new SessionOptions { Provider = "Smallest", CompletionGrace = TimeSpan.FromSeconds(0.5) });
        Assert.False(p.IsComplete(At(10)).Complete);
        Assert.False(p.NormalCloseConfirms(At(10)));
        p.OnMarker((long)(1.0 * Stopwatch.Frequency));
        Assert.False(p.IsComplete(At(1.3, lastFrame: 1.0)).Complete);
        Assert.False(p.IsComplete(At(1.6, lastFrame: 1.2)).Complete); // a final 0.2 s after the marker: read on
        Assert.True(p.IsComplete(At(1.8, lastFrame: 1.2)).Complete);
        Assert.True(p.NormalCloseConfirms(At(1.3)));
    }

    [Fact]
    public void Voxists_completion_is_its_close()
    {
        var p = CompletionPolicy.For(new Engine.Providers.Voxist.VoxistProtocol(), new SessionOptions { Provider = "Voxist" });
        Assert.False(p.IsComplete(At(100)).Complete);
        Assert.True(p.NormalCloseConfirms(At(1)));
    }

    [Fact]
    public void Quiet_completion_needs_the_window_and_results_covering_every_sound()
    {
        var p = CompletionPolicy.For(new Engine.Providers.Speechall.SpeechallProtocol(), new SessionOptions { Provider = "Speechall" });
        Assert.False(p.IsComplete(At(2.9, voiced: 0)).Complete);
        Assert.True(p.IsComplete(At(3.1, voiced: 0.2, tail: 5)).Complete); // five seconds of trailing silence: covered
        Assert.False(p.IsComplete(At(30, voiced: 2.6)).Complete);            // speech without a result: wait (the drain timeout ends it)
        Assert.False(p.NormalCloseConfirms(At(1, voiced: 2.6)));
        Assert.True(p.NormalCloseConfirms(At(1, voiced: 0.1)));
        Assert.True(p.MinimumTimeout > TimeSpan.FromSeconds(3));
    }

    // ---- verdicts and summaries ----

    [Fact]
    public void The_worst_verdict_wins_in_the_documented_order()
    {
        Assert.Equal(new[] { 0, 5, 4, 3, 2, 130 }, Enum.GetValues<Verdict>().Select(Verdicts.ExitCode));
        Assert.Equal(Verdict.Incomplete, Verdicts.Worst(new[] { Verdict.Whole, Verdict.Incomplete, Verdict.Whole }));
        Assert.Equal(Verdict.AuthenticationFailed, Verdicts.Worst(new[] { Verdict.Failed, Verdict.AuthenticationFailed, Verdict.Incomplete }));
        Assert.Equal(Verdict.Whole, Verdicts.Worst(Array.Empty<Verdict>()));
        Assert.Equal(Verdict.Incomplete, Verdicts.Of(new TranscriptIncompleteException(new SessionSummary { SessionId = "s", Provider = "P", Ending = SessionEnding.DrainTimedOut })));
    }

    [Fact]
    public void Ranges_merge_where_they_touch()
    {
        var m = TimeRange.Merge(new[] { new TimeRange(5, 6), new TimeRange(1, 2), new TimeRange(1.5, 3), new TimeRange(3, 3), new TimeRange(6, 7) });
        Assert.Equal(new[] { new TimeRange(1, 3), new TimeRange(5, 7) }, m);
    }

    [Fact]
    public void A_summary_names_the_missing_audio_in_seconds_of_the_file()
    {
        var s = new SessionSummary
        {
            SessionId = "s", Provider = "Smallest", Source = "call.wav", Ending = SessionEnding.ClosedWithoutCompletion,
            EndingReason = "Smallest closed the connection (1000) after the end of stream without its completion signal.",
            AudioSentSeconds = 7.1, AudioCoveredSeconds = 4.52, UnconfirmedFinals = 1, Uncovered = new[] { new TimeRange(4.52, 7.1) },
        };
        Assert.False(s.IsWhole);
        Assert.Equal("Smallest (call.wav): 4.52-7.10 s of audio (2.58 s of 7.10 s) got no confirmed final (Smallest closed the connection (1000) after the end of stream without its completion signal); 1 segment(s) written as finals marked Unconfirmed.", s.Describe());
    }
}
