using System.Collections.Concurrent;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SpeechStream.Engine.Audio;

/// <summary>
/// Band-limited rational resampler: a Kaiser-windowed sinc evaluated as a polyphase FIR, linear phase
/// and delay-compensated, so output sample n is the band-limited signal at time n / outRate with no lag.
/// </summary>
/// <remarks>
/// Parameters (chosen to track SoX's default "high quality" <c>rate</c>, measured here with sine tones:
/// flat to 92.5% of the lower Nyquist frequency, -3 dB near 95%, over 100 dB down at Nyquist):
/// cutoff (-6 dB) at <see cref="CutoffFraction"/> × the lower Nyquist frequency, transition width
/// <see cref="TransitionFraction"/> × that Nyquist frequency, stopband attenuation <see cref="StopbandDb"/> dB.
/// The filter length follows Kaiser's formula. Coefficient tables are shared between instances.
/// Streaming: <see cref="Process"/> may be called with any block size; <see cref="Flush"/> ends the stream and
/// emits exactly ceil(inputLength × outRate / inRate) samples in total.
/// <para>Kept instead of NAudio's resampler (NAudio.Core 3.3 is used for WAV writing and Windows capture, not here).
/// Measured against SoX's <c>rate</c> references in tests/fixtures/reference (clip 1 to 16 kHz mono, SNR over the
/// whole clip): ours 88.9 dB (44.1 kHz stereo float), 89.4 dB (48 kHz 24-bit), 65.3 dB (22.05 kHz 8-bit), 48.5 dB on
/// the 44.1 kHz sweep to Nyquist, all at lag 0; NAudio's <c>WdlResamplingSampleProvider</c> 18.5, 18.3, 22.1 and
/// 10.3 dB on the same inputs, and only at a lag of one sample (7.9 dB at lag 0 for the first). The issue that
/// brought NAudio in measured ours at 98 dB against NAudio's 18 dB, at 0.7× SoX's CPU time (the benchmark:
/// <c>tests/SpeechStream.Benchmarks -- --cpu</c>; not re-run for this note).</para>
/// </remarks>
public sealed class PolyphaseResampler
{
    /// <summary>Passband edge, as a fraction of the lower Nyquist frequency (0.955: flat to 7.64 kHz at 16 kHz out).</summary>
    public const double CutoffFraction = 0.955;
    /// <summary>Width of the transition band, as a fraction of the lower Nyquist frequency.</summary>
    public const double TransitionFraction = 0.075;
    /// <summary>Stopband attenuation of the filter, in dB.</summary>
    public const double StopbandDb = 100;

    private static readonly ConcurrentDictionary<(int, int), Table> Tables = new();

    private readonly Table _t;
    private float[] _buf;
    private long _bufStart;   // absolute input index of _buf[0]
    private int _bufLen;
    private long _inputCount; // input samples received
    private long _next;       // next output index
    private bool _flushed;

    /// <param name="inRate">Input sample rate in Hz.</param>
    /// <param name="outRate">Output sample rate in Hz.</param>
    /// <exception cref="ArgumentOutOfRangeException">A rate is not positive.</exception>
    public PolyphaseResampler(int inRate, int outRate)
    {
        if (inRate <= 0) throw new ArgumentOutOfRangeException(nameof(inRate));
        if (outRate <= 0) throw new ArgumentOutOfRangeException(nameof(outRate));
        InRate = inRate;
        OutRate = outRate;
        int tableIn = TableRate(inRate, outRate);
        _t = Tables.Count < MaxCachedTables
            ? Tables.GetOrAdd((tableIn, outRate), k => new Table(k.Item1, k.Item2))
            : Tables.TryGetValue((tableIn, outRate), out var cached) ? cached : new Table(tableIn, outRate);
        _buf = _t.Identity ? Array.Empty<float>() : new float[_t.Taps * 2 + 1024]; // grows with the blocks it is given
        _bufStart = -(_t.HalfTaps - 1); // virtual zeros before the first sample
        _bufLen = _t.HalfTaps - 1;
    }

    /// <summary>Most phases a coefficient table may have, and most tables kept: both bound memory whatever rate a
    /// header declares.</summary>
    public const int MaxPhases = 2048, MaxCachedTables = 32;

    /// <summary>The input rate the filter is designed for. A ratio that needs more than <see cref="MaxPhases"/>
    /// phases (an exotic rate such as 44 099 Hz → 16 000 Hz needs 16 000, a table of tens of MB) uses the nearest
    /// rate within 0.1% whose ratio needs fewer (44 100 Hz): a pitch and timing error of at most 0.1%.</summary>
    public static int TableRate(int inRate, int outRate)
    {
        if (outRate / Gcd(inRate, outRate) <= MaxPhases) return inRate;
        int best = inRate, bestL = int.MaxValue, span = Math.Max(1, inRate / 1000);
        for (int d = 1; d <= span; d++) // the nearest rate that needs few enough phases
            foreach (int r in new[] { inRate - d, inRate + d })
            {
                if (r <= 0) continue;
                int l = outRate / Gcd(r, outRate);
                if (l <= MaxPhases) return r;
                if (l < bestL) { best = r; bestL = l; }
            }
        return best;
    }

    private static int Gcd(int a, int b) { while (b != 0) (a, b) = (b, a % b); return a; }

    /// <summary>True when input and output rates are equal: samples pass through unchanged.</summary>
    public bool IsIdentity => _t.Identity;

    /// <summary>Input sample rate, in Hz.</summary>
    public int InRate { get; }
    /// <summary>Output sample rate, in Hz.</summary>
    public int OutRate { get; }

    /// <summary>Taps applied per output sample.</summary>
    public int TapsPerPhase => _t.Taps;

    /// <summary>Upper bound of the samples <see cref="Process"/> may write for <paramref name="inputCount"/> inputs.</summary>
    public int MaxOutput(int inputCount) => (int)((long)(inputCount + _t.Taps) * _t.L / _t.M) + 2;

    /// <summary>Feeds input samples (mono) and writes the output that is now fully determined.</summary>
    /// <returns>The number of samples written to <paramref name="output"/>.</returns>
    public int Process(ReadOnlySpan<float> input, Span<float> output)
    {
        if (_flushed) throw new InvalidOperationException("The resampler was flushed.");
        if (_t.Identity)
        {
            input.CopyTo(output);
            _inputCount += input.Length;
            return input.Length;
        }
        Append(input);
        _inputCount += input.Length;
        return Produce(output, _bufStart + _bufLen);
    }

    /// <summary>Ends the stream: writes the remaining output, so the total is ceil(inputs × outRate / inRate).</summary>
    public int Flush(Span<float> output)
    {
        if (_flushed) return 0;
        _flushed = true;
        if (_t.Identity) return 0;
        Append(new float[_t.Taps + 1]);
        long total = (_inputCount * _t.L + _t.M - 1) / _t.M;
        int written = 0;
        while (_next < total && written < output.Length)
        {
            int n = Produce(output[written..], _bufStart + _bufLen, total);
            if (n == 0) break;
            written += n;
        }
        return written;
    }

    private void Append(ReadOnlySpan<float> input)
    {
        // Drop what no future output needs, then grow if still short.
        long firstNeeded = _next * _t.M / _t.L - _t.HalfTaps + 1;
        int drop = (int)Math.Clamp(firstNeeded - _bufStart, 0, _bufLen);
        if (drop > 0)
        {
            Array.Copy(_buf, drop, _buf, 0, _bufLen - drop);
            _bufLen -= drop;
            _bufStart += drop;
        }
        if (_bufLen + input.Length > _buf.Length)
            Array.Resize(ref _buf, Math.Max(_buf.Length * 2, _bufLen + input.Length));
        input.CopyTo(_buf.AsSpan(_bufLen));
        _bufLen += input.Length;
    }

    private int Produce(Span<float> output, long available, long limit = long.MaxValue)
    {
        int taps = _t.Taps, half = _t.HalfTaps, l = _t.L, m = _t.M;
        var coef = _t.Coefficients;
        int written = 0;
        // Output n sits at input position n*M/L: one division here, then integer steps (a 64-bit division per
        // output sample cost more than its 176-520 multiply-adds).
        long pos = _next * m;
        long ip = pos / l;
        int phase = (int)(pos - ip * l);
        int ipStep = m / l, phaseStep = m % l;
        if (m == 1 && l > 1 && l <= MaxBlockPhases && Avx512F.IsSupported && _t.Taps % 4 == 0)
            written = ProduceUpsampled(output, available, limit, ref ip, ref phase);
        else if (l == 1 && m > 1 && Avx512F.IsSupported)
            written = ProduceDecimated(output, available, limit, ref ip);
        // Outputs are computed four at a time where possible: four independent multiply-add chains keep the
        // FMA units busy (one output's 22-65 vector steps are too short a chain to hide their latency).
        Span<int> xs = stackalloc int[4], hs = stackalloc int[4];
        int pending = 0;
        while (written + pending < output.Length && _next < limit)
        {
            long first = ip - half + 1;
            if (first + taps > available) break;
            xs[pending] = (int)(first - _bufStart);
            hs[pending] = phase * taps;
            if (++pending == 4)
            {
                Dot4(_buf, coef, xs, hs, taps, output.Slice(written, 4));
                written += 4;
                pending = 0;
            }
            _next++;
            ip += ipStep;
            phase += phaseStep;
            if (phase >= l) { phase -= l; ip++; }
        }
        for (int k = 0; k < pending; k++)
            output[written++] = Dot(_buf.AsSpan(xs[k], taps), coef.AsSpan(hs[k], taps));
        return written;
    }

    private const int MaxBlockPhases = 8;

    /// <summary>
    /// Integer upsampling (M = 1: 8 kHz → 16 kHz, the telephony case): for 16 consecutive input positions at once,
    /// every phase's output is one vector — lane t accumulates h_p[j] × x[ip + t + j] over j — so there are no
    /// horizontal sums and each input load serves every phase. Four partial sums per phase keep the
    /// multiply-adds independent. Measured on 10 minutes of 8 kHz mu-law: this stage was the gap to SoX.
    /// </summary>
    private int ProduceUpsampled(Span<float> output, long available, long limit, ref long ip, ref int phase)
    {
        int taps = _t.Taps, half = _t.HalfTaps, l = _t.L;
        int written = 0;
        Span<float> lanes = stackalloc float[16 * MaxBlockPhases];
        ref float c = ref MemoryMarshal.GetArrayDataReference(_t.Coefficients);
        while (phase == 0 && written + 16 * l <= output.Length && _next + 16 * l <= limit)
        {
            long first = ip - half + 1;
            if (first + 15 + taps > available) break;
            int offset = (int)(first - _bufStart);
            if ((uint)offset > (uint)(_buf.Length - taps - 16)) throw new IndexOutOfRangeException();
            ref float x = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_buf), offset);
            for (int p = 0; p < l; p++)
            {
                ref float h = ref Unsafe.Add(ref c, p * taps);
                Vector512<float> s0 = Vector512<float>.Zero, s1 = s0, s2 = s0, s3 = s0;
                for (int j = 0; j < taps; j += 4)
                {
                    s0 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x, (nuint)j), Vector512.Create(Unsafe.Add(ref h, j)), s0);
                    s1 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x, (nuint)(j + 1)), Vector512.Create(Unsafe.Add(ref h, j + 1)), s1);
                    s2 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x, (nuint)(j + 2)), Vector512.Create(Unsafe.Add(ref h, j + 2)), s2);
                    s3 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x, (nuint)(j + 3)), Vector512.Create(Unsafe.Add(ref h, j + 3)), s3);
                }
                ((s0 + s1) + (s2 + s3)).CopyTo(lanes.Slice(p * 16, 16));
            }
            for (int t = 0; t < 16; t++)
                for (int p = 0; p < l; p++)
                    output[written++] = lanes[p * 16 + t];
            _next += 16 * l;
            ip += 16;
        }
        return written;
    }

    private float[] _streams = Array.Empty<float>();

    /// <summary>
    /// Integer decimation (L = 1: 48 kHz → 16 kHz): output n = Σ_j h[j]·x[nM + c + j]. Writing j = qM + r turns it
    /// into M unit-stride convolutions over the streams z_r[i] = x[iM + c + r], de-interleaved once per call; then
    /// 32 consecutive outputs are two vectors, each coefficient is broadcast once for both, and no horizontal sums
    /// are needed. Outputs come in whole blocks of 32; the general loop does the rest.
    /// </summary>
    private int ProduceDecimated(Span<float> output, long available, long limit, ref long ip)
    {
        int taps = _t.Taps, half = _t.HalfTaps, m = _t.M;
        long first = ip - half + 1;
        long fit = (available - taps - first) / m + 1; // outputs whose whole window is available
        long count = Math.Min(Math.Min(output.Length, limit - _next), fit);
        int blocks = (int)Math.Max(0, count / 32);
        if (blocks == 0) return 0;
        int n = blocks * 32, q = _t.DecimatedLength, len = n + q;
        if (_streams.Length < m * len) _streams = new float[m * len];
        int baseOffset = (int)(first - _bufStart);
        int valid = _bufLen - baseOffset;
        for (int r = 0; r < m; r++)
        {
            var z = _streams.AsSpan(r * len, len);
            for (int i = 0, src = r; i < len; i++, src += m) z[i] = src < valid ? _buf[baseOffset + src] : 0f;
        }
        ref float zs = ref MemoryMarshal.GetArrayDataReference(_streams);
        ref float hz = ref MemoryMarshal.GetArrayDataReference(_t.Decimated);
        for (int b = 0; b < n; b += 32)
        {
            Vector512<float> a0 = Vector512<float>.Zero, a1 = a0, c0 = a0, c1 = a0;
            for (int r = 0; r < m; r++)
            {
                ref float z = ref Unsafe.Add(ref zs, r * len + b);
                ref float h = ref Unsafe.Add(ref hz, r * q);
                int k = 0;
                for (; k + 2 <= q; k += 2)
                {
                    var h0 = Vector512.Create(Unsafe.Add(ref h, k));
                    var h1 = Vector512.Create(Unsafe.Add(ref h, k + 1));
                    a0 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref z, (nuint)k), h0, a0);
                    a1 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref z, (nuint)(k + 16)), h0, a1);
                    c0 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref z, (nuint)(k + 1)), h1, c0);
                    c1 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref z, (nuint)(k + 17)), h1, c1);
                }
                for (; k < q; k++)
                {
                    var h0 = Vector512.Create(Unsafe.Add(ref h, k));
                    a0 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref z, (nuint)k), h0, a0);
                    a1 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref z, (nuint)(k + 16)), h0, a1);
                }
            }
            (a0 + c0).CopyTo(output.Slice(b, 16));
            (a1 + c1).CopyTo(output.Slice(b + 16, 16));
        }
        _next += n;
        ip += (long)n * m;
        return n;
    }

    /// <summary>Four dot products of <paramref name="taps"/> at once (input offsets <paramref name="xs"/>,
    /// coefficient offsets <paramref name="hs"/>), with FMA where available.</summary>
    private static void Dot4(float[] buf, float[] coef, ReadOnlySpan<int> xs, ReadOnlySpan<int> hs, int taps, Span<float> output)
    {
        if (Avx512F.IsSupported && taps % 16 == 0)
        {
            Dot4Avx512(buf, coef, xs, hs, taps, output);
            return;
        }
        if (!Fma.IsSupported || taps % 8 != 0)
        {
            for (int k = 0; k < 4; k++) output[k] = Dot(buf.AsSpan(xs[k], taps), coef.AsSpan(hs[k], taps));
            return;
        }
        CheckWindows(buf, coef, xs, hs, taps);
        ref float b = ref MemoryMarshal.GetArrayDataReference(buf);
        ref float c = ref MemoryMarshal.GetArrayDataReference(coef);
        ref float x0 = ref Unsafe.Add(ref b, xs[0]), x1 = ref Unsafe.Add(ref b, xs[1]), x2 = ref Unsafe.Add(ref b, xs[2]), x3 = ref Unsafe.Add(ref b, xs[3]);
        ref float h0 = ref Unsafe.Add(ref c, hs[0]), h1 = ref Unsafe.Add(ref c, hs[1]), h2 = ref Unsafe.Add(ref c, hs[2]), h3 = ref Unsafe.Add(ref c, hs[3]);
        Vector256<float> a0 = Vector256<float>.Zero, a1 = a0, a2 = a0, a3 = a0, e0 = a0, e1 = a0, e2 = a0, e3 = a0;
        int i = 0;
        for (; i + 16 <= taps; i += 16)
        {
            nuint u = (nuint)i, v = (nuint)(i + 8);
            a0 = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref x0, u), Vector256.LoadUnsafe(ref h0, u), a0);
            a1 = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref x1, u), Vector256.LoadUnsafe(ref h1, u), a1);
            a2 = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref x2, u), Vector256.LoadUnsafe(ref h2, u), a2);
            a3 = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref x3, u), Vector256.LoadUnsafe(ref h3, u), a3);
            e0 = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref x0, v), Vector256.LoadUnsafe(ref h0, v), e0);
            e1 = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref x1, v), Vector256.LoadUnsafe(ref h1, v), e1);
            e2 = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref x2, v), Vector256.LoadUnsafe(ref h2, v), e2);
            e3 = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref x3, v), Vector256.LoadUnsafe(ref h3, v), e3);
        }
        for (; i < taps; i += 8)
        {
            nuint u = (nuint)i;
            a0 = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref x0, u), Vector256.LoadUnsafe(ref h0, u), a0);
            a1 = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref x1, u), Vector256.LoadUnsafe(ref h1, u), a1);
            a2 = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref x2, u), Vector256.LoadUnsafe(ref h2, u), a2);
            a3 = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref x3, u), Vector256.LoadUnsafe(ref h3, u), a3);
        }
        output[0] = Sum(a0 + e0);
        output[1] = Sum(a1 + e1);
        output[2] = Sum(a2 + e2);
        output[3] = Sum(a3 + e3);
    }

    /// <summary>The eight lanes of an FMA path's sum, added in the order <see cref="Dot4Avx512"/> adds its sixteen
    /// (the FMA path's two accumulators are the AVX-512 one's halves): halves to 128 bits, then two horizontal adds.
    /// Not <see cref="Vector256.Sum{T}"/>, whose order is the compiler's: the JIT's unoptimised code, its optimised
    /// code and Native AOT's each add the lanes in their own order, so the last bits of a sample would depend on the
    /// build and on how warm the method was.</summary>
    private static float Sum(Vector256<float> v)
    {
        var q = v.GetLower() + v.GetUpper();
        if (Sse3.IsSupported)
        {
            var zero = Vector128<float>.Zero;
            return Sse3.HorizontalAdd(Sse3.HorizontalAdd(q, zero), zero).ToScalar();
        }
        return (q.GetElement(0) + q.GetElement(1)) + (q.GetElement(2) + q.GetElement(3));
    }

    /// <summary>Every window lies inside its array: checked once per four outputs instead of on every load.</summary>
    private static void CheckWindows(float[] buf, float[] coef, ReadOnlySpan<int> xs, ReadOnlySpan<int> hs, int taps)
    {
        for (int k = 0; k < 4; k++)
            if ((uint)xs[k] > (uint)(buf.Length - taps) || (uint)hs[k] > (uint)(coef.Length - taps)) throw new IndexOutOfRangeException();
    }

    private static void Dot4Avx512(float[] buf, float[] coef, ReadOnlySpan<int> xs, ReadOnlySpan<int> hs, int taps, Span<float> output)
    {
        CheckWindows(buf, coef, xs, hs, taps);
        ref float b = ref MemoryMarshal.GetArrayDataReference(buf);
        ref float c = ref MemoryMarshal.GetArrayDataReference(coef);
        ref float x0 = ref Unsafe.Add(ref b, xs[0]), x1 = ref Unsafe.Add(ref b, xs[1]), x2 = ref Unsafe.Add(ref b, xs[2]), x3 = ref Unsafe.Add(ref b, xs[3]);
        ref float h0 = ref Unsafe.Add(ref c, hs[0]), h1 = ref Unsafe.Add(ref c, hs[1]), h2 = ref Unsafe.Add(ref c, hs[2]), h3 = ref Unsafe.Add(ref c, hs[3]);
        Vector512<float> a0 = Vector512<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
        if (xs[0] == xs[1] && xs[2] == xs[3])
        {
            // Upsampling: pairs of outputs read the same input window (8 kHz → 16 kHz): load it once for both.
            for (int i = 0; i < taps; i += 16)
            {
                nuint u = (nuint)i;
                var v0 = Vector512.LoadUnsafe(ref x0, u);
                var v2 = Vector512.LoadUnsafe(ref x2, u);
                a0 = Avx512F.FusedMultiplyAdd(v0, Vector512.LoadUnsafe(ref h0, u), a0);
                a1 = Avx512F.FusedMultiplyAdd(v0, Vector512.LoadUnsafe(ref h1, u), a1);
                a2 = Avx512F.FusedMultiplyAdd(v2, Vector512.LoadUnsafe(ref h2, u), a2);
                a3 = Avx512F.FusedMultiplyAdd(v2, Vector512.LoadUnsafe(ref h3, u), a3);
            }
        }
        else
        for (int i = 0; i < taps; i += 16)
        {
            nuint u = (nuint)i;
            a0 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x0, u), Vector512.LoadUnsafe(ref h0, u), a0);
            a1 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x1, u), Vector512.LoadUnsafe(ref h1, u), a1);
            a2 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x2, u), Vector512.LoadUnsafe(ref h2, u), a2);
            a3 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x3, u), Vector512.LoadUnsafe(ref h3, u), a3);
        }
        // One reduction tree for the four sums (halve each to 128 bits, then two horizontal adds).
        if (Sse3.IsSupported)
        {
            Vector128<float> Quarter(Vector512<float> v)
            {
                var h = v.GetLower() + v.GetUpper();
                return h.GetLower() + h.GetUpper();
            }
            var sums = Sse3.HorizontalAdd(Sse3.HorizontalAdd(Quarter(a0), Quarter(a1)), Sse3.HorizontalAdd(Quarter(a2), Quarter(a3)));
            sums.CopyTo(output);
            return;
        }
        output[0] = Vector512.Sum(a0);
        output[1] = Vector512.Sum(a1);
        output[2] = Vector512.Sum(a2);
        output[3] = Vector512.Sum(a3);
    }

    /// <summary>One dot product, summed in exactly the order one lane of <see cref="Dot4"/> uses, so the output does
    /// not depend on how the input was split into blocks (outputs at a block's end go through here).</summary>
    private static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> h)
    {
        int n = h.Length;
        ref float rx = ref MemoryMarshal.GetReference(x);
        ref float rh = ref MemoryMarshal.GetReference(h);
        if (Avx512F.IsSupported && n % 16 == 0)
        {
            var a = Vector512<float>.Zero;
            for (int i = 0; i < n; i += 16)
                a = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref rx, (nuint)i), Vector512.LoadUnsafe(ref rh, (nuint)i), a);
            if (Sse3.IsSupported)
            {
                var half = a.GetLower() + a.GetUpper();
                var q = half.GetLower() + half.GetUpper();
                var zero = Vector128<float>.Zero;
                return Sse3.HorizontalAdd(Sse3.HorizontalAdd(q, zero), zero).ToScalar();
            }
            return Vector512.Sum(a);
        }
        if (Fma.IsSupported && n % 8 == 0)
        {
            Vector256<float> a = Vector256<float>.Zero, e = a;
            int i = 0;
            for (; i + 16 <= n; i += 16)
            {
                a = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref rx, (nuint)i), Vector256.LoadUnsafe(ref rh, (nuint)i), a);
                e = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref rx, (nuint)(i + 8)), Vector256.LoadUnsafe(ref rh, (nuint)(i + 8)), e);
            }
            for (; i < n; i += 8)
                a = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref rx, (nuint)i), Vector256.LoadUnsafe(ref rh, (nuint)i), a);
            return Sum(a + e);
        }
        var vx = MemoryMarshal.Cast<float, Vector<float>>(x);
        var vh = MemoryMarshal.Cast<float, Vector<float>>(h);
        Vector<float> b0 = Vector<float>.Zero, b1 = b0, b2 = b0, b3 = b0;
        int k = 0, m = vh.Length;
        for (; k + 4 <= m; k += 4)
        {
            b0 += vx[k] * vh[k];
            b1 += vx[k + 1] * vh[k + 1];
            b2 += vx[k + 2] * vh[k + 2];
            b3 += vx[k + 3] * vh[k + 3];
        }
        for (; k < m; k++) b0 += vx[k] * vh[k];
        float s = Vector.Sum((b0 + b1) + (b2 + b3));
        for (int t = m * Vector<float>.Count; t < n; t++) s += x[t] * h[t];
        return s;
    }

    private sealed class Table
    {
        public readonly bool Identity;
        public readonly int L, M, HalfTaps, Taps;
        public readonly float[] Coefficients;
        /// <summary>For integer decimation: the coefficients regrouped per input stream, h[qM + r] at [r·DecimatedLength + q] (zero past the end).</summary>
        public readonly float[] Decimated = Array.Empty<float>();
        public readonly int DecimatedLength;

        public Table(int inRate, int outRate)
        {
            int g = Gcd(inRate, outRate);
            L = outRate / g;
            M = inRate / g;
            Identity = inRate == outRate;
            if (Identity) { Coefficients = Array.Empty<float>(); HalfTaps = 1; Taps = 1; return; }
            double nyq = Math.Min(inRate, outRate) / 2.0;
            double fc = CutoffFraction * nyq / inRate;          // cycles per input sample
            double df = TransitionFraction * nyq / inRate;
            double beta = 0.1102 * (StopbandDb - 8.7);
            int n = (int)Math.Ceiling((StopbandDb - 7.95) / (14.357 * df));
            HalfTaps = n / 2 + 1;
            int vec = Math.Max(16, Vector<float>.Count);        // 16 floats = one AVX-512 register
            Taps = (2 * HalfTaps + vec - 1) / vec * vec;       // padded with zero taps for SIMD
            Coefficients = new float[L * Taps];
            double i0b = BesselI0(beta);
            for (int p = 0; p < L; p++)
            {
                double frac = (double)p / L;
                double sum = 0;
                var row = new double[Taps];
                for (int j = 0; j < 2 * HalfTaps; j++)
                {
                    double d = (j - HalfTaps + 1) - frac;        // input index minus output position
                    double r = d / HalfTaps;
                    if (Math.Abs(r) > 1) continue;
                    double w = BesselI0(beta * Math.Sqrt(1 - r * r)) / i0b;
                    double x = 2 * fc * d;
                    double sinc = Math.Abs(x) < 1e-12 ? 1 : Math.Sin(Math.PI * x) / (Math.PI * x);
                    row[j] = 2 * fc * sinc * w;
                    sum += row[j];
                }
                for (int j = 0; j < Taps; j++) Coefficients[p * Taps + j] = (float)(row[j] / sum); // unity DC gain per phase
            }
            if (L == 1 && M > 1)
            {
                DecimatedLength = (Taps + M - 1) / M;
                Decimated = new float[M * DecimatedLength];
                for (int r = 0; r < M; r++)
                    for (int q = 0; q < DecimatedLength; q++)
                        Decimated[r * DecimatedLength + q] = q * M + r < Taps ? Coefficients[q * M + r] : 0f;
            }
        }

        private static int Gcd(int a, int b) { while (b != 0) (a, b) = (b, a % b); return a; }

        private static double BesselI0(double x)
        {
            double sum = 1, term = 1, q = x * x / 4;
            for (int k = 1; k < 200; k++)
            {
                term *= q / (k * k);
                sum += term;
                if (term < sum * 1e-17) break;
            }
            return sum;
        }
    }
}
