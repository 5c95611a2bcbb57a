using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace SpeechStream.Engine.Audio;

/// <summary>Decodes interleaved samples to floats in [-1, 1), scaled as SoX does (full scale of the
/// integer type maps to 1.0; mu-law and A-law through the G.711 tables).</summary>
internal static class SampleDecoder
{
    private static readonly float[] MuLawTable = BuildMuLaw();
    private static readonly float[] ALawTable = BuildALaw();

    /// <summary>Decodes <paramref name="src"/> (whole samples only) into <paramref name="dst"/>.</summary>
    /// <returns>The number of samples written: <c>src.Length / bytesPerSample</c>.</returns>
    public static int Decode(ReadOnlySpan<byte> src, SampleEncoding encoding, Span<float> dst)
    {
        int n = src.Length / AudioFormat.BytesOf(encoding);
        if (dst.Length < n) throw new ArgumentException("Destination too small.", nameof(dst));
        switch (encoding)
        {
            case SampleEncoding.PcmU8:
                for (int i = 0; i < n; i++) dst[i] = (src[i] - 128) * (1f / 128f);
                break;
            case SampleEncoding.PcmS16:
                {
                    var s = MemoryMarshal.Cast<byte, short>(src[..(n * 2)]);
                    if (BitConverter.IsLittleEndian)
                        for (int i = 0; i < n; i++) dst[i] = s[i] * (1f / 32768f);
                    else
                        for (int i = 0; i < n; i++) dst[i] = BinaryPrimitives.ReverseEndianness(s[i]) * (1f / 32768f);
                    break;
                }
            case SampleEncoding.PcmS24:
                for (int i = 0, j = 0; i < n; i++, j += 3)
                    dst[i] = (src[j] | (src[j + 1] << 8) | ((sbyte)src[j + 2] << 16)) * (1f / 8388608f);
                break;
            case SampleEncoding.PcmS32:
                for (int i = 0; i < n; i++)
                    dst[i] = (float)(BinaryPrimitives.ReadInt32LittleEndian(src.Slice(i * 4, 4)) * (1.0 / 2147483648.0));
                break;
            case SampleEncoding.Float32:
                for (int i = 0; i < n; i++)
                    dst[i] = BinaryPrimitives.ReadSingleLittleEndian(src.Slice(i * 4, 4));
                break;
            case SampleEncoding.Float64:
                for (int i = 0; i < n; i++)
                    dst[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(src.Slice(i * 8, 8));
                break;
            case SampleEncoding.MuLaw:
                for (int i = 0; i < n; i++) dst[i] = MuLawTable[src[i]];
                break;
            case SampleEncoding.ALaw:
                for (int i = 0; i < n; i++) dst[i] = ALawTable[src[i]];
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(encoding));
        }
        return n;
    }

    /// <summary>Converts floats to PCM s16le with rounding and clipping.</summary>
    public static void ToPcm16(ReadOnlySpan<float> src, Span<byte> dst)
    {
        int i = 0;
        if (System.Runtime.Intrinsics.X86.Avx.IsSupported && BitConverter.IsLittleEndian)
        {
            // 16 samples at a time: scale, clamp, round half to even (cvtps2dq in the default rounding mode, as
            // MathF.Round), narrow. Same results as the scalar loop below.
            var scale = System.Runtime.Intrinsics.Vector256.Create(32768f);
            var lo = System.Runtime.Intrinsics.Vector256.Create(-32768f);
            var hi = System.Runtime.Intrinsics.Vector256.Create(32767f);
            var shorts = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, short>(dst);
            for (; i + 16 <= src.Length; i += 16)
            {
                var a = System.Runtime.Intrinsics.Vector256.Min(System.Runtime.Intrinsics.Vector256.Max(System.Runtime.Intrinsics.Vector256.Create(src.Slice(i, 8)) * scale, lo), hi);
                var b = System.Runtime.Intrinsics.Vector256.Min(System.Runtime.Intrinsics.Vector256.Max(System.Runtime.Intrinsics.Vector256.Create(src.Slice(i + 8, 8)) * scale, lo), hi);
                var n = System.Runtime.Intrinsics.Vector256.Narrow(System.Runtime.Intrinsics.X86.Avx.ConvertToVector256Int32(a), System.Runtime.Intrinsics.X86.Avx.ConvertToVector256Int32(b));
                System.Runtime.Intrinsics.Vector256.CopyTo(n, shorts.Slice(i, 16));
            }
        }
        for (; i < src.Length; i++)
        {
            float v = src[i] * 32768f;
            int s = v >= 32767f ? 32767 : v <= -32768f ? -32768 : (int)MathF.Round(v);
            BinaryPrimitives.WriteInt16LittleEndian(dst.Slice(i * 2, 2), (short)s);
        }
    }

    // ITU-T G.711 decoding, the same tables SoX uses (values of a 16-bit linear sample).
    private static float[] BuildMuLaw()
    {
        var t = new float[256];
        for (int i = 0; i < 256; i++)
        {
            int u = ~i & 0xFF;
            int t2 = ((u & 0x0F) << 3) + 0x84;
            t2 <<= (u & 0x70) >> 4;
            int v = (u & 0x80) != 0 ? 0x84 - t2 : t2 - 0x84;
            t[i] = v / 32768f;
        }
        return t;
    }

    private static float[] BuildALaw()
    {
        var t = new float[256];
        for (int i = 0; i < 256; i++)
        {
            int a = i ^ 0x55;
            int seg = (a & 0x70) >> 4;
            int v = (a & 0x0F) << 4;
            v = seg switch { 0 => v + 8, 1 => v + 0x108, _ => (v + 0x108) << (seg - 1) };
            t[i] = ((a & 0x80) != 0 ? v : -v) / 32768f;
        }
        return t;
    }
}
