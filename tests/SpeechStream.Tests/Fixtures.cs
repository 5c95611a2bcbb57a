using System.Text.Json;
using SpeechStream.Engine.Audio;

namespace SpeechStream.Tests;

/// <summary>Paths to the fixtures in tests/fixtures (copied from shared/fixtures) and helpers to read them.</summary>
internal static class Fixtures
{
    public static readonly string Root = FindRoot();

    public static string Audio(string name) => Path.Combine(Root, "tests", "fixtures", "audio", name);

    public static string Reference(string name) => Path.Combine(Root, "tests", "fixtures", "reference", name);

    public static string RepoFile(string relative) => Path.Combine(Root, relative);

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SpeechStream.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("SpeechStream.sln not found above the test directory.");
    }

    /// <summary>The WAV variants and sweeps that have a SoX reference in tests/fixtures/reference (make-references.sh).</summary>
    public static readonly string[] SoxReferenced =
    {
        "variant-16k-s32.wav", "variant-22k05-u8.wav", "variant-44k1-stereo-f32.wav", "variant-48k-s24.wav",
        "variant-8k-alaw.wav", "variant-8k-mulaw.wav", "sweep-44k1.wav", "sweep-48k-stereo.wav",
    };

    /// <summary>What every conversion must meet against SoX's: the same length within 1%, lag 0, SNR at least 40 dB.</summary>
    public static void AssertMatchesSox(short[] sox, short[] ours, string label)
    {
        Assert.InRange(ours.Length, sox.Length * 0.99, sox.Length * 1.01);
        Assert.Equal(0, BestLag(sox, ours));
        double snr = Snr(sox, ours);
        Assert.True(snr >= 40, $"{label}: SNR {snr:0.0} dB against SoX, expected >= 40 dB");
    }

    /// <summary>The reference text of a clip (its sidecar JSON's "text").</summary>
    public static string ReferenceText(string wav)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.ChangeExtension(Audio(wav), ".json")));
        return doc.RootElement.GetProperty("text").GetString()!;
    }

    public static short[] ReadS16(string path)
    {
        var b = File.ReadAllBytes(path);
        var s = new short[b.Length / 2];
        Buffer.BlockCopy(b, 0, s, 0, s.Length * 2);
        return s;
    }

    /// <summary>Converts a file the way the engine sends it: mono PCM s16le at <paramref name="rate"/>.</summary>
    public static async Task<short[]> ConvertAsync(string path, int rate = 16000, ChannelSelection ch = ChannelSelection.Mix, AudioFormat? raw = null)
    {
        await using var conv = new PcmConverter(await AudioInput.OpenAsync(path, raw), rate, ch);
        var ms = new MemoryStream();
        var buf = new byte[3200];
        int n;
        while ((n = await conv.ReadPcm16Async(buf)) > 0) ms.Write(buf, 0, n);
        var bytes = ms.ToArray();
        var s = new short[bytes.Length / 2];
        Buffer.BlockCopy(bytes, 0, s, 0, s.Length * 2);
        return s;
    }

    /// <summary>SNR in dB of <paramref name="test"/> against <paramref name="reference"/> at a lag (test shifted by lag).</summary>
    public static double Snr(short[] reference, short[] test, int lag = 0)
    {
        double sig = 0, err = 0;
        int n = Math.Min(reference.Length, test.Length);
        for (int i = 0; i < n; i++)
        {
            int j = i + lag;
            double t = j >= 0 && j < test.Length ? test[j] : 0;
            sig += (double)reference[i] * reference[i];
            err += (reference[i] - t) * (reference[i] - t);
        }
        return 10 * Math.Log10(sig / Math.Max(err, 1e-9));
    }

    /// <summary>The lag (samples, within ±range) that maximises cross-correlation.</summary>
    public static int BestLag(short[] reference, short[] test, int range = 20)
    {
        int best = 0;
        double bestC = double.MinValue;
        int n = Math.Min(reference.Length, test.Length);
        for (int lag = -range; lag <= range; lag++)
        {
            double c = 0;
            for (int i = 0; i < n; i++)
            {
                int j = i + lag;
                if (j >= 0 && j < test.Length) c += (double)reference[i] * test[j];
            }
            if (c > bestC) { bestC = c; best = lag; }
        }
        return best;
    }
}
