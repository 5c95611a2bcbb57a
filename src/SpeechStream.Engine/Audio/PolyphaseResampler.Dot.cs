using System.Collections.Concurrent;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SpeechStream.Engine.Audio;

// The dot products of the resampler: four at once (FMA, AVX-512) and one at a time, summed in the same order.
public sealed partial class PolyphaseResampler
{
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
}
