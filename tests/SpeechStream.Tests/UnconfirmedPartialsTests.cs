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

/// <summary>Which open segments' last partials become Unconfirmed rows when a session ends without their finals
/// (<see cref="UnconfirmedPartials"/>), and the cap on open segments.</summary>
public class UnconfirmedPartialsTests
{
    [Fact]
    public void Open_segments_are_capped_and_the_discarded_ones_counted()
    {
        var a = new AssemblerHarness(timed: true);
        a.Send(40);
        for (int i = 0; i < ResultAssembler.MaxOpenSegments + 50; i++) a.Add(i.ToString(), false, $"p{i}", 0.1 * i, 0.1 * i + 0.05);
        Assert.Equal(50, a.Assembler.OpenSegmentsDiscarded);
        Assert.Equal(ResultAssembler.MaxOpenSegments, a.Assembler.PromoteOpenSegments());
        Assert.All(a.Out.Where(t => t.IsFinal), t => Assert.True(t.Unconfirmed));
        Assert.Equal("p50", a.Out.First(t => t.Unconfirmed).Text); // the newest survive
        Assert.True(a.Assembler.DiscardedTextLost); // p0..p49 were about audio nothing else covers: said
    }

    /// <summary>A flood of partials, each opening a segment, over audio a confirmed final covers
    /// writes no Unconfirmed row (it wrote 256), and its discards lose nothing.</summary>
    [Fact]
    public void A_flood_of_partials_over_audio_a_final_covers_writes_no_unconfirmed_row()
    {
        var a = new AssemblerHarness(timed: true);
        a.Send(5);
        a.Add("s", true, "and mister john dashwood", 0.15, 4.3);
        for (int i = 0; i < 20_000; i++) a.Add($"f{i}", false, $"flood{i}", 0.5, 0.6);
        Assert.Equal(0, a.Assembler.PromoteOpenSegments());
        Assert.Equal(new[] { "and mister john dashwood" }, a.Out.Where(t => t.IsFinal).Select(t => t.Text));
        Assert.Equal(ResultAssembler.MaxOpenSegments, a.Assembler.PartialsSuperseded);
        Assert.False(a.Assembler.DiscardedTextLost);
        Assert.Empty(a.Assembler.UnconfirmedRanges);
    }

    /// <summary>The same flood over audio no final covers: the text is kept, as one row (the last hypothesis of that
    /// audio), not 256, and the discarded segments, about the same audio, lose nothing.</summary>
    [Fact]
    public void A_flood_of_partials_over_audio_no_final_covers_is_one_unconfirmed_row()
    {
        var a = new AssemblerHarness(timed: true);
        a.Send(5);
        for (int i = 0; i < 20_000; i++) a.Add($"f{i}", false, $"flood{i}", 0.5, 0.6);
        Assert.Equal(1, a.Assembler.PromoteOpenSegments());
        var row = Assert.Single(a.Out, t => t.IsFinal);
        Assert.True(row.Unconfirmed);
        Assert.Equal("flood19999", row.Text);
        Assert.False(a.Assembler.DiscardedTextLost);
    }

    /// <summary>Nothing is dropped for audio without a confirmed final: a partial with a start only (its text may run
    /// past the final it starts in), a partial in a stretch the finals skipped (though a later final moved the delivered
    /// point past it), partials of two speakers over the same audio, and a partial with no times are all written.</summary>
    [Fact]
    public void Partials_for_audio_without_a_confirmed_final_are_all_written()
    {
        var a = new AssemblerHarness(timed: true);
        a.Send(15);
        a.Add("a", true, "first", 0.0, 4.0);
        a.Add("start", false, "starts inside a final, runs who knows how far", 3.5); // a start only (Voxist without words)
        a.Add("gap", false, "never finalised", 5.0, 8.0);
        a.Add("b", true, "third", 10.0, 12.0);
        a.Add(new ProviderResult("x", false, "left says", 12.5, 13.0, Array.Empty<TranscriptWord>(), Speaker: "A"));
        a.Add(new ProviderResult("y", false, "right says", 12.5, 13.0, Array.Empty<TranscriptWord>(), Speaker: "B"));
        Assert.Equal(4, a.Assembler.PromoteOpenSegments());
        Assert.Equal(new[] { "starts inside a final, runs who knows how far", "never finalised", "left says", "right says" },
            a.Out.Where(t => t.Unconfirmed).Select(t => t.Text));
        var u = new AssemblerHarness(timed: false);
        u.Send(3);
        u.Add(null, false, "no times");
        Assert.Equal(1, u.Assembler.PromoteOpenSegments());
    }
}
