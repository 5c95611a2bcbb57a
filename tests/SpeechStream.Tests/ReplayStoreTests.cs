using SpeechStream.Engine.Audio;
using SpeechStream.Engine.Sessions;

namespace SpeechStream.Tests;

/// <summary>Tests that count the process's shared replay blocks (ReplayBlocks.InUse): run alone, after the parallel
/// ones, so no other session takes or gives back blocks while they count.</summary>
[CollectionDefinition(nameof(ReplayBlocksPool), DisableParallelization = true)]
public sealed class ReplayBlocksPool { }

/// <summary>The replay buffer's lossless packing: every byte comes back, whatever the audio.</summary>
[Collection(nameof(ReplayBlocksPool))]
public class ReplayStoreTests
{
    private static byte[] RoundTrip(byte[] pcm, out int packedLength)
    {
        var packed = new byte[LosslessPcm.MaxPackedLength(pcm.Length)];
        packedLength = LosslessPcm.Pack(pcm, packed);
        Assert.InRange(packedLength, 0, LosslessPcm.MaxPackedLength(pcm.Length) - 8);
        var back = new byte[pcm.Length];
        LosslessPcm.Unpack(packed.AsSpan(0, packedLength), back);
        return back;
    }

    public static TheoryData<string> SpeechFiles => new() { "librivox-1.wav", "call-mono-16k.wav", "librivox-3.wav" };

    [Theory]
    [MemberData(nameof(SpeechFiles))]
    public void Speech_comes_back_bit_for_bit_in_about_sixty_percent_of_its_size(string file)
    {
        var wav = File.ReadAllBytes(Fixtures.Audio(file));
        var pcm = wav.AsSpan(44).ToArray();
        long packedTotal = 0;
        for (int at = 0; at < pcm.Length; at += 3200) // as a session keeps it: 100 ms chunks, each on its own
        {
            var chunk = pcm.AsSpan(at, Math.Min(3200, pcm.Length - at)).ToArray();
            Assert.Equal(chunk, RoundTrip(chunk, out int n));
            packedTotal += n;
        }
        Assert.InRange(packedTotal / (double)pcm.Length, 0.3, 0.65);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(511)]
    [InlineData(512)]
    [InlineData(513)]
    [InlineData(3200)]
    [InlineData(96001)]
    public void Any_length_comes_back_including_an_odd_byte(int length)
    {
        var rng = new Random(length);
        var pcm = new byte[length];
        // A loud tone with noise: mostly packed, some samples far from the prediction.
        for (int i = 0; i + 1 < length; i += 2)
        {
            short v = (short)Math.Clamp(12000 * Math.Sin(i * 0.01) + rng.Next(-300, 300), short.MinValue, short.MaxValue);
            pcm[i] = (byte)v;
            pcm[i + 1] = (byte)(v >> 8);
        }
        if (length % 2 == 1) pcm[^1] = 0xA5;
        Assert.Equal(pcm, RoundTrip(pcm, out _));
    }

    [Fact]
    public void Extremes_white_noise_and_silence_come_back()
    {
        var rng = new Random(7);
        var noise = new byte[32000];
        rng.NextBytes(noise);
        Assert.Equal(noise, RoundTrip(noise, out int noiseLength));
        Assert.True(noiseLength <= LosslessPcm.MaxPackedLength(noise.Length) - 8, $"noise grew to {noiseLength} bytes"); // stored raw, not larger
        var square = new byte[6400]; // full-scale square wave: the largest residuals there are
        for (int i = 0; i < square.Length; i += 2)
        {
            short v = (i / 2) % 2 == 0 ? short.MaxValue : short.MinValue;
            square[i] = (byte)v;
            square[i + 1] = (byte)(v >> 8);
        }
        Assert.Equal(square, RoundTrip(square, out _));
        var spikes = new byte[6400]; // silence with lone full-scale clicks: escaped quotients
        for (int i = 0; i < spikes.Length; i += 2)
        {
            short v = i % 400 == 0 ? short.MinValue : i % 398 == 0 ? short.MaxValue : (short)0;
            spikes[i] = (byte)v;
            spikes[i + 1] = (byte)(v >> 8);
        }
        Assert.Equal(spikes, RoundTrip(spikes, out _));
        var silence = new byte[3200];
        Assert.Equal(silence, RoundTrip(silence, out int quiet));
        Assert.True(quiet < 250, $"100 ms of silence packed to {quiet} bytes");
    }

    [Fact]
    public void Truncated_packed_audio_is_refused()
    {
        var pcm = new byte[3200];
        new Random(3).NextBytes(pcm);
        var packed = new byte[LosslessPcm.MaxPackedLength(pcm.Length)];
        int n = LosslessPcm.Pack(pcm, packed);
        Assert.Throws<InvalidDataException>(() => LosslessPcm.Unpack(packed.AsSpan(0, n / 2), new byte[pcm.Length]));
    }

    private static byte[] Speech(int chunk, int length = 3200)
    {
        var pcm = File.ReadAllBytes(Fixtures.Audio("librivox-1.wav")).AsSpan(44).ToArray();
        return pcm.AsSpan((chunk * length) % (pcm.Length - length) & ~1, length).ToArray();
    }

    private static byte[] ReadBack(AudioLedger ledger, AudioChunk chunk)
    {
        var pcm = new byte[chunk.Length];
        ledger.Read(chunk, pcm);
        return pcm;
    }

    [Fact]
    public void A_replay_sends_every_byte_kept_since_the_last_final()
    {
        var l = new AudioLedger(replayCapacity: 30, bytesPerSecond: 32000);
        var sent = Enumerable.Range(0, 70).Select(i => Speech(i)).ToList(); // 7 s in 100 ms chunks
        foreach (var c in sent) l.Append(c);
        l.MarkDelivered(4.0, 4.0);
        var plan = l.BeginReplay();
        Assert.Equal(4.0, plan.OffsetSeconds, 3); // the last 3 s: past the final, and more than the 2 s always kept
        Assert.Equal(30, plan.Chunks.Count);
        for (int i = 0; i < plan.Chunks.Count; i++)
        {
            Assert.Equal(sent[40 + i], ReadBack(l, plan.Chunks[i]));
            l.EndLease(plan.Chunks[i]);
        }
    }

    [Fact]
    public void Blocks_go_back_as_finals_cover_the_audio_but_not_while_a_replay_is_sending_it()
    {
        int before = ReplayBlocks.InUse;
        var l = new AudioLedger(replayCapacity: 30, bytesPerSecond: 32000);
        for (int i = 0; i < 50; i++) l.Append(Speech(i));
        long full = l.KeptBytes;
        Assert.InRange(full, 50 * 3200 * 0.4, 50 * 3200 * 0.7); // packed: well under the 160 KB of PCM
        var plan = l.BeginReplay(); // a reconnect: all 5 s leased
        l.MarkDelivered(5.0, 5.0); // a final covers 5 s while the replay is still going out
        Assert.Equal(full, l.KeptBytes); // leased: nothing given back
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(Speech(i), ReadBack(l, plan.Chunks[i]));
            l.EndLease(plan.Chunks[i]);
        }
        Assert.True(l.KeptBytes < full, "the first second sent goes back");
        foreach (var c in plan.Chunks.Skip(10)) l.EndLease(c);
        Assert.InRange(l.KeptBytes, 1, full / 2 + ReplayBlocks.Size); // the last 2 s are always kept
        var tail = l.BeginReplay();
        Assert.InRange(tail.OffsetSeconds, 2.89, 3.01); // 2 s, to the rounding of the 100 ms steps
        int first = (int)Math.Round(tail.OffsetSeconds * 10);
        for (int i = 0; i < tail.Chunks.Count; i++)
        {
            Assert.Equal(Speech(first + i), ReadBack(l, tail.Chunks[i]));
            l.EndLease(tail.Chunks[i]);
        }
        l.Clear();
        Assert.Equal(0, l.KeptBytes);
        Assert.True(ReplayBlocks.InUse <= before, "every block went back to the pool"); // alone: see ReplayBlocksPool
    }

    [Fact]
    public void Odd_and_uneven_chunks_span_blocks_and_come_back()
    {
        var rng = new Random(11);
        var l = new AudioLedger(replayCapacity: 60, bytesPerSecond: 32000);
        var sent = new List<byte[]>();
        for (int i = 0; i < 40; i++)
        {
            var c = new byte[rng.Next(1, 9000)];
            rng.NextBytes(c); // noise: stored raw, so chunks cross block boundaries anywhere
            sent.Add(c);
            l.Append(c);
        }
        var plan = l.BeginReplay();
        Assert.Equal(sent.Count, plan.Chunks.Count);
        for (int i = 0; i < sent.Count; i++) Assert.Equal(sent[i], ReadBack(l, plan.Chunks[i]));
        foreach (var c in plan.Chunks) l.EndLease(c);
        l.Clear();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Unpaced_sessions_keep_the_audio_as_it_is_and_a_replay_still_sends_every_byte(bool pack)
    {
        var l = new AudioLedger(replayCapacity: 30, bytesPerSecond: 32000, pack: pack);
        var sent = Enumerable.Range(0, 50).Select(i => Speech(i)).ToList();
        foreach (var c in sent) l.Append(c);
        if (pack) Assert.InRange(l.KeptBytes, 50 * 3200 * 0.4, 50 * 3200 * 0.7);
        else Assert.InRange(l.KeptBytes, 50 * 3200, 50 * 3200 + ReplayBlocks.Size); // whole blocks of the PCM itself
        l.MarkDelivered(2.0, 2.0);
        var plan = l.BeginReplay();
        Assert.Equal(30, plan.Chunks.Count); // from the final's end at 2 s
        for (int i = 0; i < plan.Chunks.Count; i++)
        {
            Assert.Equal(sent[20 + i], ReadBack(l, plan.Chunks[i]));
            l.EndLease(plan.Chunks[i]);
        }
        l.Clear();
        Assert.Equal(0, l.KeptBytes);
    }
}
