using System.Collections.Concurrent;
using System.Numerics;
using System.Runtime.InteropServices;

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
/// </remarks>
public sealed class PolyphaseResampler
{
    public const double CutoffFraction = 0.955;
    public const double TransitionFraction = 0.075;
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
        _t = Tables.GetOrAdd((inRate, outRate), k => new Table(k.Item1, k.Item2));
        _buf = new float[Math.Max(4096, _t.Taps * 2)];
        _bufStart = -(_t.HalfTaps - 1); // virtual zeros before the first sample
        _bufLen = _t.HalfTaps - 1;
    }

    public int InRate { get; }
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
        while (written < output.Length && _next < limit)
        {
            long pos = _next * m;
            long ip = pos / l;
            int phase = (int)(pos - ip * l);
            long first = ip - half + 1;
            if (first + taps > available) break;
            var x = _buf.AsSpan((int)(first - _bufStart), taps);
            var h = coef.AsSpan(phase * taps, taps);
            output[written++] = Dot(x, h);
            _next++;
        }
        return written;
    }

    private static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> h)
    {
        var vx = MemoryMarshal.Cast<float, Vector<float>>(x);
        var vh = MemoryMarshal.Cast<float, Vector<float>>(h);
        var acc = Vector<float>.Zero;
        for (int i = 0; i < vh.Length; i++) acc += vx[i] * vh[i];
        float s = Vector.Sum(acc);
        for (int i = vh.Length * Vector<float>.Count; i < h.Length; i++) s += x[i] * h[i];
        return s;
    }

    private sealed class Table
    {
        public readonly bool Identity;
        public readonly int L, M, HalfTaps, Taps;
        public readonly float[] Coefficients;

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
            int vec = Vector<float>.Count;
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
