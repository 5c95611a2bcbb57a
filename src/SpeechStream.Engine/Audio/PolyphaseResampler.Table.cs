using System.Collections.Concurrent;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SpeechStream.Engine.Audio;

// The filter design of the resampler: the Kaiser-windowed sinc coefficient table, shared between instances.
public sealed partial class PolyphaseResampler
{
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
