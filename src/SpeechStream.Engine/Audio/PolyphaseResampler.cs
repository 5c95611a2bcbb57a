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
public sealed partial class PolyphaseResampler
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
}
