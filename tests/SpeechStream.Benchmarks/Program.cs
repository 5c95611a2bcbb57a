using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using SpeechStream.Engine.Audio;

// On demand: dotnet run -c Release --project tests/SpeechStream.Benchmarks -- --filter '*'
// Issue 4: decoding + mix-down + resampling to 16 kHz mono s16le, ours and SoX's `rate` (default high quality)
// on the same 10-minute inputs in one run. Real-time factor = 600 s / mean time. Allocations per second of
// audio = Allocated / 600.
if (args.Length > 0 && args[0] == "--stages") { await Stages.RunAsync(args[1]); return; }
if (args.Length > 0 && args[0] == "--cpu") { await CpuTime.RunAsync(args[1]); return; }
BenchmarkSwitcher.FromAssembly(typeof(AudioBenchmarks).Assembly).Run(args);

[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 8)]
public class AudioBenchmarks
{
    public const double Minutes = 10;

    [Params("variant-44k1-stereo-f32.wav", "variant-8k-mulaw.wav", "variant-48k-s24.wav")]
    public string File { get; set; } = "";

    private string _path = "";

    [GlobalSetup]
    public void Setup()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !System.IO.File.Exists(Path.Combine(dir.FullName, "SpeechStream.sln"))) dir = dir.Parent;
        _path = LongInputs.Make(Path.Combine(dir!.FullName, "tests", "fixtures", "audio", File), Minutes * 60);
    }

    /// <summary>The streaming path: what FileTranscriber does for each 100 ms chunk, minus the socket.</summary>
    [Benchmark(Baseline = true)]
    public async Task<long> Ours()
    {
        await using var conv = new PcmConverter(await AudioInput.OpenAsync(_path), 16000);
        var buf = new byte[3200];
        long total = 0;
        int n;
        while ((n = await conv.ReadPcm16Async(buf)) > 0) total += n;
        return total;
    }

    /// <summary>SoX's default high-quality rate, same input, output discarded.</summary>
    [Benchmark]
    public int Sox()
    {
        using var p = Process.Start(new ProcessStartInfo("sox", new[] { "-D", "-q", _path, "-t", "raw", "-e", "signed-integer", "-b", "16", "-c", "1", "-r", "16000", "/dev/null" })
        { UseShellExecute = false }) ?? throw new InvalidOperationException("sox did not start");
        p.WaitForExit();
        return p.ExitCode == 0 ? 0 : throw new InvalidOperationException($"sox failed ({p.ExitCode}); install it (apt-get install sox)");
    }
}

/// <summary>Long inputs made by repeating a fixture's data chunk (header kept, sizes fixed).</summary>
public static class LongInputs
{
    public static string Make(string fixture, double seconds)
    {
        var bytes = System.IO.File.ReadAllBytes(fixture);
        int pos = 12, dataAt = -1, dataLen = 0;
        while (pos + 8 <= bytes.Length)
        {
            int size = BitConverter.ToInt32(bytes, pos + 4);
            if (System.Text.Encoding.ASCII.GetString(bytes, pos, 4) == "data") { dataAt = pos + 8; dataLen = Math.Min(size, bytes.Length - dataAt); break; }
            pos += 8 + size + (size & 1);
        }
        using var src = new FileStream(fixture, FileMode.Open, FileAccess.Read);
        var header = bytes.AsSpan(0, dataAt).ToArray();
        using var probe = AudioInput.OpenAsync(fixture).GetAwaiter().GetResult();
        double clip = probe.DurationSeconds!.Value;
        int repeats = (int)Math.Ceiling(seconds / clip);
        string path = Path.Combine(Path.GetTempPath(), $"ss-bench-{Path.GetFileNameWithoutExtension(fixture)}-{seconds:0}s.wav");
        using var f = new FileStream(path, FileMode.Create);
        long total = (long)dataLen * repeats;
        BitConverter.GetBytes((uint)(header.Length - 8 + total)).CopyTo(header, 4);
        BitConverter.GetBytes((uint)total).CopyTo(header, header.Length - 4);
        f.Write(header);
        for (int i = 0; i < repeats; i++) f.Write(bytes, dataAt, dataLen);
        return path;
    }
}

/// <summary>Where the time goes (on demand: -- --stages FIXTURE): read+decode, then resample alone, then the whole path.</summary>
public static class Stages
{
    public static async Task RunAsync(string fixture)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !System.IO.File.Exists(Path.Combine(dir.FullName, "SpeechStream.sln"))) dir = dir.Parent;
        string path = LongInputs.Make(Path.Combine(dir!.FullName, "tests", "fixtures", "audio", fixture), 600);
        for (int round = 0; round < 3; round++)
        {
            var sw = Stopwatch.StartNew();
            long alloc0 = GC.GetAllocatedBytesForCurrentThread();
            await using (var src = await AudioInput.OpenAsync(path))
            {
                var buf = new float[4096 * src.Format.Channels];
                while (await src.ReadAsync(buf) > 0) { }
            }
            var decode = sw.Elapsed;
            long allocDecode = GC.GetAllocatedBytesForCurrentThread() - alloc0;
            await using var probe = await AudioInput.OpenAsync(path);
            var r = new PolyphaseResampler(probe.Format.SampleRate, 16000);
            var input = new float[4096];
            var output = new float[r.MaxOutput(4096) + 64];
            long frames = (long)(600 * probe.Format.SampleRate);
            sw.Restart();
            for (long done = 0; done < frames; done += 4096) r.Process(input, output);
            var resample = sw.Elapsed;
            sw.Restart();
            await using (var conv = new PcmConverter(await AudioInput.OpenAsync(path), 16000))
            {
                var b = new byte[3200];
                while (await conv.ReadPcm16Async(b) > 0) { }
            }
            var h = new float[176];
            var x = new float[4096 + 176];
            sw.Restart();
            float sink = 0;
            for (int k = 0; k < 9_600_000 / 4096; k++)
                for (int o = 0; o < 4096; o++) sink += System.Numerics.Vector.Dot(new System.Numerics.Vector<float>(x, o), new System.Numerics.Vector<float>(h, 0));
            var vecOnly = sw.Elapsed;
            Console.WriteLine($"  (9.6M single-vector dots: {vecOnly.TotalMilliseconds:0} ms, {sink})");
            Console.WriteLine($"{fixture}: decode {decode.TotalMilliseconds:0} ms ({allocDecode / 1024} KB), resample {resample.TotalMilliseconds:0} ms ({r.TapsPerPhase} taps), whole {sw.Elapsed.TotalMilliseconds:0} ms, Vector<float>.Count {System.Numerics.Vector<float>.Count}");
        }
    }
}

/// <summary>CPU seconds (user + system) of ours and of SoX on the same 10-minute input, 7 rounds each, median:
/// steadier than wall time on a shared virtual machine (on demand: -- --cpu FIXTURE).</summary>
public static class CpuTime
{
    public static async Task RunAsync(string fixture)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !System.IO.File.Exists(Path.Combine(dir.FullName, "SpeechStream.sln"))) dir = dir.Parent;
        string path = LongInputs.Make(Path.Combine(dir!.FullName, "tests", "fixtures", "audio", fixture), 600);
        var bench = new AudioBenchmarks { File = fixture };
        bench.Setup();
        await bench.Ours(); // JIT warm-up
        var ours = new List<double>();
        var sox = new List<double>();
        for (int r = 0; r < 7; r++)
        {
            var me = Process.GetCurrentProcess();
            var before = me.TotalProcessorTime;
            await bench.Ours();
            me.Refresh();
            ours.Add((me.TotalProcessorTime - before).TotalSeconds);
            // A finished child's CPU time is not readable through Process on Linux: /usr/bin/time reports it.
            using var p = Process.Start(new ProcessStartInfo("/usr/bin/time", new[] { "-f", "%U %S", "sox", "-D", "-q", path, "-t", "raw", "-e", "signed-integer", "-b", "16", "-c", "1", "-r", "16000", "/dev/null" })
            { UseShellExecute = false, RedirectStandardError = true })!;
            var times = p.StandardError.ReadToEnd().Trim().Split('\n')[^1].Split(' ');
            p.WaitForExit();
            sox.Add(double.Parse(times[0], System.Globalization.CultureInfo.InvariantCulture) + double.Parse(times[1], System.Globalization.CultureInfo.InvariantCulture));
        }
        double Med(List<double> v) => v.OrderBy(x => x).ElementAt(v.Count / 2);
        Console.WriteLine(FormattableString.Invariant($"{fixture}: CPU s for 600 s of audio: ours {Med(ours):0.000} ({600 / Med(ours):0}x real time), SoX {Med(sox):0.000} ({600 / Med(sox):0}x real time)"));
    }
}
