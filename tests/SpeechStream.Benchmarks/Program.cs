using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using SpeechStream.Engine.Audio;

BenchmarkSwitcher.FromAssembly(typeof(AudioBenchmarks).Assembly).Run(args);

/// <summary>Decoding + mix-down + resampling to 16 kHz mono s16le, per fixture variant. Real-time factor:
/// seconds of audio (7.1 s per clip) divided by the mean time.</summary>
[MemoryDiagnoser]
public class AudioBenchmarks
{
    [Params("variant-44k1-stereo-f32.wav", "variant-8k-mulaw.wav", "variant-48k-s24.wav")]
    public string File { get; set; } = "";

    private string _path = "";

    [GlobalSetup]
    public void Setup()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !System.IO.File.Exists(Path.Combine(dir.FullName, "SpeechStream.sln"))) dir = dir.Parent;
        _path = Path.Combine(dir!.FullName, "tests", "fixtures", "audio", File);
    }

    [Benchmark]
    public async Task<int> ConvertTo16kMono()
    {
        await using var conv = new PcmConverter(await AudioInput.OpenAsync(_path), 16000);
        var buf = new byte[3200];
        int total = 0, n;
        while ((n = await conv.ReadPcm16Async(buf)) > 0) total += n;
        return total;
    }
}
