namespace SpeechStream.Emulator;

/// <summary>Without a script: one final per voiced region found by energy (20 ms frames above -40 dBFS,
/// ended by 300 ms of quiet), with placeholder text naming the region.</summary>
internal sealed class EnergySegmenter
{
    private const double FrameSeconds = 0.02, ThresholdDb = -40, HangSeconds = 0.3;
    private readonly int _rate;
    private readonly int _frameSamples;
    private long _samples;
    private double _sumSquares;
    private int _inFrame;
    private double? _regionStart;
    private double _lastVoiced;
    private int _segment;

    /// <summary>A segmenter for PCM s16le mono at <paramref name="sampleRate"/> Hz.</summary>
    public EnergySegmenter(int sampleRate)
    {
        _rate = sampleRate;
        _frameSamples = (int)(sampleRate * FrameSeconds);
    }

    /// <summary>Hears <paramref name="pcm16"/> (PCM s16le, continuing the audio fed before; a trailing odd byte is
    /// ignored) and returns a final for each voiced region it ended.</summary>
    public List<EmittedResult> Feed(ReadOnlySpan<byte> pcm16)
    {
        var results = new List<EmittedResult>();
        for (int i = 0; i + 1 < pcm16.Length; i += 2)
        {
            double s = (short)(pcm16[i] | (pcm16[i + 1] << 8)) / 32768.0;
            _sumSquares += s * s;
            _samples++;
            if (++_inFrame < _frameSamples) continue;
            double rms = Math.Sqrt(_sumSquares / _inFrame);
            double db = 20 * Math.Log10(rms + 1e-12);
            double t = (double)_samples / _rate;
            _inFrame = 0;
            _sumSquares = 0;
            if (db > ThresholdDb)
            {
                _regionStart ??= t - FrameSeconds;
                _lastVoiced = t;
            }
            else if (_regionStart is double start && t - _lastVoiced >= HangSeconds)
            {
                results.Add(Region(start, _lastVoiced));
                _regionStart = null;
            }
        }
        return results;
    }

    /// <summary>At the end of stream: the final of the voiced region still open, if any.</summary>
    public List<EmittedResult> Finish()
    {
        var r = new List<EmittedResult>();
        if (_regionStart is double start) r.Add(Region(start, _lastVoiced));
        _regionStart = null;
        return r;
    }

    private EmittedResult Region(double start, double end)
    {
        // Two words, "[speech" and "S-E]", so a provider with start times only (Voxist) still shows where the region ends.
        double last = Math.Round(Math.Max(start, end - 0.2), 2);
        return new EmittedResult(_segment++, true, new[]
        {
            new ScriptWord("[speech", Math.Round(start, 2), last),
            new ScriptWord(FormattableString.Invariant($"{start:0.00}-{end:0.00}]"), last, Math.Round(end, 2)),
        });
    }
}
