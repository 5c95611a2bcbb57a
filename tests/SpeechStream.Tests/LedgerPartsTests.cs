using System.Diagnostics;
using SpeechStream.Engine.Sessions;

namespace SpeechStream.Tests;

/// <summary>The audio ledger's parts, each with plain values: the replay buffer (<see cref="ReplayBuffer"/>), the send
/// times behind latency (<see cref="SendTimes"/>) and the sound detector behind the voiced tail (<see cref="SoundFrames"/>).</summary>
public class LedgerPartsTests
{
    private const int Bps = 32000; // 16 kHz PCM s16le mono

    private static byte[] Pcm(double seconds, short amplitude)
    {
        var b = new byte[(int)(seconds * Bps) & ~1];
        for (int i = 0; i + 1 < b.Length; i += 2)
        {
            short v = (short)((i / 2) % 2 == 0 ? amplitude : -amplitude);
            b[i] = (byte)v;
            b[i + 1] = (byte)(v >> 8);
        }
        return b;
    }

    // ---- sound frames ----

    [Fact]
    public void Silence_has_no_sound_and_a_tone_ends_where_its_last_frame_ends()
    {
        Assert.Null(SoundFrames.LastSoundEnd(Pcm(1, 0), 10, Bps, 0));
        Assert.Null(SoundFrames.LastSoundEnd(Pcm(1, 100), 10, Bps, 0)); // -50 dBFS: below the threshold
        var tone = Pcm(0.5, 8000).Concat(Pcm(0.5, 0)).ToArray();
        Assert.Equal(10.5, SoundFrames.LastSoundEnd(tone, 10, Bps, 0)!.Value, 3);
    }

    [Fact]
    public void Frames_ending_before_the_from_point_are_not_looked_at()
    {
        var tone = Pcm(0.5, 8000).Concat(Pcm(0.5, 0)).ToArray();
        Assert.Null(SoundFrames.LastSoundEnd(tone, 10, Bps, fromSeconds: 10.5));
        Assert.Equal(10.5, SoundFrames.LastSoundEnd(tone, 10, Bps, fromSeconds: 10.49)!.Value, 3);
    }

    // ---- send times ----

    [Fact]
    public void Latency_is_measured_from_the_first_send_that_reaches_the_audio()
    {
        var t = new SendTimes();
        long f = Stopwatch.Frequency;
        t.Add(1.0, 1 * f);
        t.Add(2.0, 2 * f);
        Assert.Equal(1.5, t.LatencySeconds(1.5, (long)(3.5 * f)));
        Assert.Equal(2.5, t.LatencySeconds(0.2, (long)(3.5 * f)));
        Assert.Null(t.LatencySeconds(2.5, 4 * f));
    }

    [Fact]
    public void Replayed_audio_takes_its_new_send_time_and_old_ones_are_forgotten()
    {
        var t = new SendTimes();
        long f = Stopwatch.Frequency;
        for (int i = 1; i <= 10; i++) t.Add(i, i * f);
        t.DropAfter(8);
        t.Add(9, 20 * f);
        Assert.Equal(1.0, t.LatencySeconds(9, 21 * f));
        t.ForgetBefore(9); // send times ending before 4 s are forgotten
        Assert.Equal(17.0, t.LatencySeconds(0.5, 21 * f)); // the oldest left ends at 4 s, sent at 4 s
    }

    // ---- replay buffer ----

    [Fact]
    public void The_buffer_keeps_the_audio_from_the_floor_and_always_the_kept_tail()
    {
        var b = new ReplayBuffer(capacitySeconds: 30, pack: true);
        for (int i = 0; i < 5; i++) b.Keep(Pcm(1, 1000), i, i + 1);
        b.Trim(floorSeconds: 5, sentSeconds: 5);
        Assert.Equal(new[] { 3.0, 4.0 }, b.Kept.Select(c => c.Start)); // the last 2 s
        b.Trim(floorSeconds: 5, sentSeconds: 5);
        Assert.Equal(3.0, b.FirstStartSeconds);
        Assert.Equal(0, b.DroppedUpToSeconds);
    }

    [Fact]
    public void Beyond_the_capacity_the_oldest_audio_is_dropped_and_recorded()
    {
        var b = new ReplayBuffer(capacitySeconds: 3, pack: false);
        for (int i = 0; i < 5; i++) b.Keep(Pcm(1, 1000), i, i + 1);
        b.Trim(floorSeconds: 0, sentSeconds: 5);
        Assert.Equal(new[] { 2.0, 3.0, 4.0 }, b.Kept.Select(c => c.Start));
        Assert.Equal(2.0, b.DroppedUpToSeconds);
    }

    [Fact]
    public void A_leased_chunk_stays_readable_after_the_buffer_let_it_go_until_its_lease_ends()
    {
        var b = new ReplayBuffer(capacitySeconds: 30, pack: true);
        var pcm = Pcm(1, 3000);
        b.Keep(pcm, 0, 1);
        var leased = b.Lease();
        b.Keep(Pcm(3, 0), 1, 4);
        b.Trim(floorSeconds: 4, sentSeconds: 4); // the first chunk is no longer kept
        Assert.DoesNotContain(leased[0], b.Kept);
        var back = new byte[pcm.Length];
        b.Read(leased[0], back);
        Assert.Equal(pcm, back);
        b.EndLease(leased[0]);
        Assert.Equal(0, leased[0].Leases);
    }
}
