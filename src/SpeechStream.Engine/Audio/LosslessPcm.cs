using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SpeechStream.Engine.Audio;

/// <summary>
/// A small lossless codec for PCM s16le mono, for audio a session keeps in memory for a replay: the second-order
/// fixed predictor of Shorten and FLAC (residual = s[n] − 2·s[n−1] + s[n−2]; FLAC format specification, "FIXED
/// subframe", order 2) and Rice codes (FLAC, "RESIDUAL_CODING_METHOD_PARTITIONED_RICE") with one parameter per
/// partition of <see cref="PartitionSamples"/> samples, chosen from the partition's mean. Speech at 16 kHz packs to
/// about 50–60 % of its size (librivox-1.wav: 59 %, call-mono-16k.wav: 49 %); noise that does not pack is stored as it
/// is (a partition costs at most 5 bits more than its raw samples). Each packed chunk stands alone (the predictor
/// sees zeros before its first sample), so a chunk can be dropped or unpacked on its own. A trailing odd byte is kept as it is.
/// </summary>
/// <remarks>Layout, bits from the most significant of each byte: per partition a 5-bit parameter k (0–17), or 31 for
/// raw 16-bit samples; then per sample the zigzag residual u as q = u ≫ k in unary (q one-bits and a zero), or, when
/// q ≥ <see cref="EscapeRun"/>, that many one-bits and u in 18 bits; then u's k low bits. The stream is padded to a
/// byte; the odd byte, if any, follows. The loops are compiled optimised at once
/// (<see cref="MethodImplOptions.AggressiveOptimization"/>): run per chunk by thousands of sessions from their start,
/// under tiered compilation they spent seconds in instrumented code while a busy machine's JIT caught up.</remarks>
internal static class LosslessPcm
{
    /// <summary>Samples per Rice partition (FLAC's encoders use 2^n partitions of similar size).</summary>
    public const int PartitionSamples = 256;

    /// <summary>A quotient this long or longer is written as a run of this many one-bits and the value in full.</summary>
    private const int EscapeRun = 24;
    private const int RawParameter = 31, ParameterBits = 5, MaxParameter = 17, ValueBits = 18;

    /// <summary>The most bytes <see cref="Pack"/> writes for <paramref name="pcmBytes"/> bytes of PCM.</summary>
    public static int MaxPackedLength(int pcmBytes)
    {
        int samples = pcmBytes / 2, partitions = (samples + PartitionSamples - 1) / PartitionSamples;
        return samples * 2 + (partitions * ParameterBits + 7) / 8 + (pcmBytes & 1) + 8;
    }

    /// <summary>Packs <paramref name="pcm"/> into <paramref name="packed"/> (at least <see cref="MaxPackedLength"/> bytes).</summary>
    /// <returns>Bytes written.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // see the class remarks
    public static int Pack(ReadOnlySpan<byte> pcm, Span<byte> packed)
    {
        if (packed.Length < MaxPackedLength(pcm.Length)) throw new ArgumentException("The destination is too small.", nameof(packed));
        var samples = MemoryMarshal.Cast<byte, short>(pcm[..(pcm.Length & ~1)]);
        var writer = new BitWriter(packed);
        Span<uint> u = stackalloc uint[PartitionSamples];
        for (int at = 0; at < samples.Length; at += PartitionSamples)
        {
            var part = samples.Slice(at, Math.Min(PartitionSamples, samples.Length - at));
            var z = u[..part.Length];
            long sum = Residuals(samples, at, z);
            int k = Parameter(sum, part.Length);
            // Σ⌊u/2^k⌋ ≤ ⌊Σu/2^k⌋, and an escape costs at most 18 bits more than its quotient's run of 24: when this bound
            // is under the raw size, the exact count (a second pass) is not needed.
            bool packs = part.Length * (1L + k) + 2 * (sum >> k) < 16L * part.Length || RiceBits(z, k) < 16L * part.Length;
            if (!packs)
            {
                writer.Write(RawParameter, ParameterBits);
                foreach (short s in part) writer.Write((ushort)Sample(s), 16);
                continue;
            }
            writer.Write((uint)k, ParameterBits);
            writer.WriteRice(z, k);
        }
        int length = writer.Flush();
        if ((pcm.Length & 1) != 0) packed[length++] = pcm[^1];
        return length;
    }

    /// <summary>The zigzag residuals of the order-2 prediction for <paramref name="z"/>.Length samples from
    /// <paramref name="at"/> (the chunk's first two samples see zeros before them), and their sum. Vectorised where the
    /// machine can (16 samples at a time with AVX2; about a third of the scalar loop's time).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long Residuals(ReadOnlySpan<short> samples, int at, Span<uint> z)
    {
        long sum = 0;
        int i = 0, n = z.Length, w = Vector<short>.Count;
        if (BitConverter.IsLittleEndian && Vector.IsHardwareAccelerated)
        {
            for (; i < n && at + i < 2; i++) sum += z[i] = Zigzag(samples, at + i);
            var zi = MemoryMarshal.Cast<uint, int>(z);
            var total = Vector<int>.Zero;
            for (; i + w <= n; i += w)
            {
                int j = at + i;
                Vector.Widen(new Vector<short>(samples[j..]), out Vector<int> s0, out Vector<int> s1);
                Vector.Widen(new Vector<short>(samples[(j - 1)..]), out Vector<int> a0, out Vector<int> a1);
                Vector.Widen(new Vector<short>(samples[(j - 2)..]), out Vector<int> b0, out Vector<int> b1);
                Vector<int> r0 = s0 - a0 - a0 + b0, r1 = s1 - a1 - a1 + b1;
                Vector<int> v0 = (r0 << 1) ^ Vector.ShiftRightArithmetic(r0, 31), v1 = (r1 << 1) ^ Vector.ShiftRightArithmetic(r1, 31);
                v0.CopyTo(zi[i..]);
                v1.CopyTo(zi[(i + w / 2)..]);
                total += v0 + v1; // a partition's sum stays under 2^26 per lane
            }
            sum += Vector.Sum(total);
        }
        for (; i < n; i++) sum += z[i] = Zigzag(samples, at + i);
        return sum;
    }

    /// <summary>The zigzag residual of sample <paramref name="j"/> of the chunk (0, 1, 2, … for 0, −1, 1, …).</summary>
    private static uint Zigzag(ReadOnlySpan<short> samples, int j)
    {
        int r = Sample(samples[j]) - 2 * (j >= 1 ? Sample(samples[j - 1]) : 0) + (j >= 2 ? Sample(samples[j - 2]) : 0);
        return (uint)((r << 1) ^ (r >> 31));
    }

    /// <summary>A sample as stored (little-endian) read on this machine.</summary>
    private static int Sample(short stored) => BitConverter.IsLittleEndian ? stored : BinaryPrimitives.ReverseEndianness(stored);

    /// <summary>Unpacks what <see cref="Pack"/> wrote for <paramref name="pcm"/>.Length bytes of PCM.</summary>
    /// <exception cref="InvalidDataException">The packed bytes are not such a stream.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Unpack(ReadOnlySpan<byte> packed, Span<byte> pcm)
    {
        int samples = pcm.Length / 2;
        var reader = new BitReader(packed);
        int prev1 = 0, prev2 = 0;
        for (int at = 0; at < samples; at += PartitionSamples)
        {
            int n = Math.Min(PartitionSamples, samples - at);
            int k = (int)reader.Read(ParameterBits);
            if (k == RawParameter)
            {
                for (int i = 0; i < n; i++)
                {
                    int s = (short)reader.Read(16);
                    BinaryPrimitives.WriteInt16LittleEndian(pcm.Slice(2 * (at + i)), (short)s);
                    prev2 = prev1;
                    prev1 = s;
                }
                continue;
            }
            if (k > MaxParameter) throw new InvalidDataException($"Rice parameter {k} is out of range.");
            for (int i = 0; i < n; i++)
            {
                int q = reader.ReadOnes(EscapeRun);
                uint v = q < EscapeRun ? ((uint)q << k) | (k > 0 ? reader.Read(k) : 0) : reader.Read(ValueBits);
                int r = (int)(v >> 1) ^ -(int)(v & 1);
                int s = r + 2 * prev1 - prev2;
                BinaryPrimitives.WriteInt16LittleEndian(pcm.Slice(2 * (at + i)), (short)s);
                prev2 = prev1;
                prev1 = s;
            }
        }
        if ((pcm.Length & 1) != 0) pcm[^1] = packed[reader.BytesRead];
    }

    /// <summary>The Rice parameter for a mean of <paramref name="sum"/>/<paramref name="n"/>: about log2 of the mean
    /// (the estimate FLAC's reference encoder starts from).</summary>
    private static int Parameter(long sum, int n)
    {
        ulong mean = (ulong)(sum / n);
        return mean == 0 ? 0 : Math.Min(MaxParameter, 63 - BitOperations.LeadingZeroCount(mean));
    }

    private static long RiceBits(ReadOnlySpan<uint> u, int k)
    {
        long bits = 0;
        foreach (uint z in u)
        {
            uint q = z >> k;
            bits += q < EscapeRun ? q + 1 + k : EscapeRun + ValueBits;
        }
        return bits;
    }

    /// <summary>Writes bits most significant first through a 64-bit accumulator, 32 bits at a time.</summary>
    private ref struct BitWriter(Span<byte> destination)
    {
        private readonly Span<byte> _out = destination;
        private ulong _acc; // the low _bits bits are pending
        private int _bits, _at;

        /// <summary>Writes the low <paramref name="count"/> bits (≤ 32) of <paramref name="value"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Write(uint value, int count)
        {
            _acc = (_acc << count) | value;
            _bits += count;
            if (_bits >= 32)
            {
                _bits -= 32;
                BinaryPrimitives.WriteUInt32BigEndian(_out.Slice(_at), (uint)(_acc >> _bits));
                _at += 4;
            }
        }

        /// <summary>Writes each value's Rice code with parameter <paramref name="k"/>: the quotient in unary (ones and a
        /// zero) and the k low bits, or the escape and the value in full. The hot loop: the state lives in locals, and
        /// every code is followed by a branch-free flush of the whole bytes (8 bytes stored, the pointer moved by the
        /// bytes complete; the destination's 8 spare bytes take the overrun).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void WriteRice(scoped ReadOnlySpan<uint> values, int k)
        {
            ulong acc = _acc;
            int bits = _bits, at = _at;
            var output = _out;
            uint low = (1u << k) - 1;
            foreach (uint v in values)
            {
                uint q = v >> k;
                if (q < EscapeRun && q + 1 + k <= 32)
                {
                    int count = (int)q + 1 + k;
                    acc = (acc << count) | (((((1u << (int)q) - 1) << 1) << k) | (v & low));
                    bits += count;
                }
                else
                {
                    // Rare: an escape, or a long quotient with a large k: two codes of at most 32 bits each.
                    (uint head, int headBits, uint tail, int tailBits) = q >= EscapeRun
                        ? ((1u << EscapeRun) - 1, EscapeRun, v, ValueBits)
                        : (((1u << (int)q) - 1) << 1, (int)q + 1, v & low, k);
                    acc = (acc << headBits) | head;
                    bits += headBits;
                    BinaryPrimitives.WriteUInt64BigEndian(output[at..], acc << (64 - bits));
                    at += bits >> 3;
                    bits &= 7;
                    acc = (acc << tailBits) | tail;
                    bits += tailBits;
                }
                BinaryPrimitives.WriteUInt64BigEndian(output[at..], acc << (64 - bits)); // bits ≥ 1 here
                at += bits >> 3;
                bits &= 7;
            }
            _acc = acc;
            _bits = bits;
            _at = at;
        }

        public int Flush()
        {
            while (_bits >= 8)
            {
                _bits -= 8;
                _out[_at++] = (byte)(_acc >> _bits);
            }
            if (_bits > 0) _out[_at++] = (byte)(_acc << (8 - _bits));
            _bits = 0;
            return _at;
        }
    }

    /// <summary>Reads bits most significant first.</summary>
    private ref struct BitReader(ReadOnlySpan<byte> source)
    {
        private readonly ReadOnlySpan<byte> _in = source;
        private ulong _acc; // the next bits, left-aligned
        private int _bits, _at;

        /// <summary>Whole bytes consumed, counting a partly read one.</summary>
        public readonly int BytesRead => _at - _bits / 8;

        private void Fill()
        {
            while (_bits <= 56)
            {
                if (_at >= _in.Length)
                {
                    if (_bits == 0) throw new InvalidDataException("The packed audio ends early.");
                    return;
                }
                _acc |= (ulong)_in[_at++] << (56 - _bits);
                _bits += 8;
            }
        }

        public uint Read(int count)
        {
            if (_bits < count) Fill();
            if (_bits < count) throw new InvalidDataException("The packed audio ends early.");
            uint v = (uint)(_acc >> (64 - count));
            _acc <<= count;
            _bits -= count;
            return v;
        }

        /// <summary>Counts one-bits up to a zero (consumed) or up to <paramref name="limit"/> ones (no zero read).</summary>
        public int ReadOnes(int limit)
        {
            if (_bits < limit + 1) Fill();
            int ones = Math.Min(BitOperations.LeadingZeroCount(~_acc), Math.Min(limit, _bits));
            if (ones < limit && ones >= _bits) throw new InvalidDataException("The packed audio ends early.");
            int used = ones < limit ? ones + 1 : ones;
            _acc <<= used;
            _bits -= used;
            return ones;
        }
    }
}
