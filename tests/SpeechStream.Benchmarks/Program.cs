using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using SpeechStream.Engine.Audio;

// On demand: dotnet run -c Release --project tests/SpeechStream.Benchmarks -- --filter '*'
// Decoding + mix-down + resampling to 16 kHz mono s16le, ours and SoX's `rate` (default high quality)
// on the same 10-minute inputs in one run. Real-time factor = 600 s / mean time. Allocations per second of
// audio = Allocated / 600.
if (args.Length > 0 && args[0] == "--stages") { await Stages.RunAsync(args[1]); return; }
if (args.Length > 0 && args[0] == "--cpu") { await CpuTime.RunAsync(args[1]); return; }
if (args.Length > 0 && args[0] == "--serve") { await LoadTest.ServeAsync(int.Parse(args[1])); return; }
if (args.Length > 0 && args[0] == "--batch") { await BatchBenchmark.RunAsync(int.Parse(args[1]), int.Parse(args[2])); return; }
if (args.Length > 0 && args[0] == "--load") { await LoadTest.RunAsync(args.Skip(1).Select(int.Parse).ToArray()); return; }
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

/// <summary>
/// The load benchmark (on demand: -- --load 200, or several counts: -- --load 200 400 600). N real-time
/// sessions in this process, each streaming librivox-1.wav (7.1 s) at 1x to a Voxist emulator running in a child
/// process, all started within 100 ms. Reports: transcripts complete, lateness of chunk sends against the pacing
/// schedule (p50/p99/max), managed heap and working set per session at the peak, and thread-pool threads.
/// </summary>
public static class LoadTest
{
    internal static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !System.IO.File.Exists(Path.Combine(dir.FullName, "SpeechStream.sln"))) dir = dir.Parent;
        return dir!.FullName;
    }

    public static async Task ServeAsync(int port)
    {
        var script = SpeechStream.Emulator.TranscriptScript.Load(Path.Combine(Root(), "tests", "fixtures", "audio", "librivox-1.json"));
        await using var server = SpeechStream.Emulator.EmulatorServer.Start("Voxist", new SpeechStream.Emulator.EmulatorOptions { Script = script }, port);
        Console.WriteLine("ready");
        await Task.Delay(Timeout.Infinite);
    }

    public static async Task RunAsync(int[] counts)
    {
        int port = 20000 + Random.Shared.Next(20000);
        using var emulator = Process.Start(new ProcessStartInfo("dotnet", new[] { typeof(LoadTest).Assembly.Location, "--serve", port.ToString() })
        { RedirectStandardOutput = true, UseShellExecute = false })!;
        await emulator.StandardOutput.ReadLineAsync();
        try
        {
            string wav = Path.Combine(Root(), "tests", "fixtures", "audio", "librivox-1.wav");
            string reference = System.Text.Json.JsonDocument.Parse(System.IO.File.ReadAllText(Path.ChangeExtension(wav, ".json"))).RootElement.GetProperty("text").GetString()!;
            foreach (int n in counts) await RunOnceAsync(n, port, wav, reference, emulator.Id);
        }
        finally { emulator.Kill(true); }
    }

    /// <summary>CPU seconds (user + system) a process has used, from /proc (a child's Process.TotalProcessorTime is not readable here).</summary>
    private static double CpuSeconds(int pid)
    {
        var f = File.ReadAllText($"/proc/{pid}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (long.Parse(f[11]) + long.Parse(f[12])) / 100.0; // utime, stime in clock ticks (100 Hz)
    }

    private static async Task RunOnceAsync(int n, int port, string wav, string reference, int emulatorPid)
    {
        double emulatorCpu0 = CpuSeconds(emulatorPid);
        ThreadPool.GetMinThreads(out int minWorkers, out _);
        GC.Collect();
        long heap0 = GC.GetTotalMemory(true), ws0 = Environment.WorkingSet;
        var lateness = new System.Collections.Concurrent.ConcurrentBag<double>();
        var steady = new System.Collections.Concurrent.ConcurrentBag<double>(); // after the connection burst
        var byTenth = Environment.GetEnvironmentVariable("SS_TIMELINE") is null ? null : new System.Collections.Concurrent.ConcurrentBag<(int, double)>();
        long peakHeap = 0, peakWs = 0;
        int maxThreads = 0, peakBlocks = 0, blocks0 = SpeechStream.Engine.Sessions.ReplayBlocks.InUse;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(false));
                peakWs = Math.Max(peakWs, Environment.WorkingSet);
                maxThreads = Math.Max(maxThreads, ThreadPool.ThreadCount);
                peakBlocks = Math.Max(peakBlocks, SpeechStream.Engine.Sessions.ReplayBlocks.InUse - blocks0);
                try { await Task.Delay(200, stop.Token); } catch (OperationCanceledException) { }
            }
        });
        var sw = Stopwatch.StartNew();
        long allocated0 = GC.GetTotalAllocatedBytes(), cpu0 = (long)Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;
        var pause0 = GC.GetTotalPauseDuration();
        int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
        long live = 0;
        using var sampler2 = Environment.GetEnvironmentVariable("SS_ALLOC") is null ? null : new AllocationSampler();
        var liveProbe = Environment.GetEnvironmentVariable("SS_LIVE") is null ? Task.CompletedTask
            : Task.Run(async () => { await Task.Delay(4000); live = GC.GetTotalMemory(true); });
        var runs = Enumerable.Range(0, n).Select(async i =>
        {
            await Task.Delay(Random.Shared.Next(100));
            var texts = new System.Collections.Concurrent.ConcurrentQueue<SpeechStream.Engine.Transcripts.Transcript>();
            await SpeechStream.Engine.Jobs.FileTranscriber.RunAsync(new SpeechStream.Engine.Jobs.TranscriptionRequest
            {
                Path = wav, Speed = 1, OnChunkLateness = l => { lateness.Add(l); if (sw.Elapsed.TotalSeconds > 2) steady.Add(l); if (byTenth is not null) byTenth.Add(((int)(sw.Elapsed.TotalSeconds * 10), l)); },
                Session = new SpeechStream.Engine.Sessions.SessionOptions
                {
                    Provider = "Voxist", Language = "en", AuthMode = "key", ApiKey = new SpeechStream.Engine.Diagnostics.Secret("load-test-key"),
                    Endpoint = new Uri($"ws://127.0.0.1:{port}/ws"), ConnectTimeout = TimeSpan.FromSeconds(60), MaxConnectAttempts = 5,
                },
            }, texts.Enqueue);
            return string.Join(" ", texts.OrderBy(t => t.Segment).Select(t => t.Text)) == reference;
        }).ToList();
        var results = await Task.WhenAll(runs);
        await liveProbe;
        if (live > 0) Console.WriteLine($"live heap 4 s in: {(live - heap0) / 1024.0 / n:0} KB/session");
        long cpu = (long)Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds - cpu0;
        Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"allocated {(GC.GetTotalAllocatedBytes() - allocated0) / (double)Math.Max(1, lateness.Count):0} bytes per chunk; client CPU {cpu / 1000.0:0.0} s ({cpu / 1000.0 / (sw.Elapsed.TotalSeconds):0.00} cores); " +
            $"{(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC: {GC.CollectionCount(0) - gen0}/{GC.CollectionCount(1) - gen1}/{GC.CollectionCount(2) - gen2} (gen0/1/2), paused {(GC.GetTotalPauseDuration() - pause0).TotalMilliseconds:0} ms; " +
            $"emulator CPU {CpuSeconds(emulatorPid) - emulatorCpu0:0.0} s"));
        sampler2?.Print(lateness.Count);
        stop.Cancel();
        await sampler;
        var late = lateness.OrderBy(x => x).ToArray();
        var late2 = steady.OrderBy(x => x).ToArray();
        if (byTenth is not null)
            foreach (var g in byTenth.GroupBy(x => x.Item1).OrderBy(g => g.Key))
            {
                var v = g.Select(x => x.Item2).OrderBy(x => x).ToArray();
                Console.WriteLine(FormattableString.Invariant($"  t={g.Key / 10.0:0.0}s chunks {v.Length,5} p99 {v[Math.Min(v.Length - 1, (int)(0.99 * v.Length))] * 1000,6:0.0} ms max {v[^1] * 1000,6:0.0} ms"));
            }
        Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"after the first 2 s (all {n} connected): p50 {(late2.Length == 0 ? 0 : late2[late2.Length / 2] * 1000):0.0} ms, p99 {(late2.Length == 0 ? 0 : late2[Math.Min(late2.Length - 1, (int)(0.99 * late2.Length))] * 1000):0.0} ms over {late2.Length} chunks"));
        double P(double q) => late.Length == 0 ? 0 : late[Math.Min(late.Length - 1, (int)(q * late.Length))] * 1000;
        Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{n} sessions: {results.Count(r => r)}/{n} transcripts complete in {sw.Elapsed.TotalSeconds:0.0} s; chunk lateness p50 {P(0.5):0.0} ms, p99 {P(0.99):0.0} ms, max {late.LastOrDefault() * 1000:0.0} ms over {late.Length} chunks; " +
            $"heap/session {(peakHeap - heap0) / 1024.0 / n:0} KB, working set/session {(peakWs - ws0) / 1024.0 / n:0} KB; thread-pool threads max {maxThreads} (min {minWorkers})"));
        // Of the heap: the packed replay audio at its peak (every second since each session's last final, ReplayStore).
        Console.WriteLine(FormattableString.Invariant($"replay audio kept (packed, whole blocks) at most {peakBlocks * (double)SpeechStream.Engine.Sessions.ReplayBlocks.Size / 1024 / n:0} KB/session"));
    }
}


/// <summary>
/// A batch of N inputs of 5 s each at --speed max with --parallel P, through the real CLI process, against
/// the Voxist emulator in another process; then the same with --output-dir. Reports files per second, audio hours per
/// CPU second of the CLI process (user + system), and its peak resident memory, from /usr/bin/time.
/// Run: dotnet run -c Release --project tests/SpeechStream.Benchmarks -- --batch 1000 16
/// </summary>
public static class BatchBenchmark
{
    public static async Task RunAsync(int count, int parallel)
    {
        string root = LoadTest.Root();
        string dir = Directory.CreateTempSubdirectory("batch-bench-").FullName;
        var source = File.ReadAllBytes(Path.Combine(root, "tests", "fixtures", "audio", "call-mono-16k.wav"));
        var five = new byte[44 + 5 * 32000];
        Array.Copy(source, five, five.Length);
        BitConverter.GetBytes(five.Length - 8).CopyTo(five, 4);
        BitConverter.GetBytes(5 * 32000).CopyTo(five, 40);
        var files = Enumerable.Range(0, count).Select(i => Path.Combine(dir, $"call-{i:0000}.wav")).ToList();
        foreach (var f in files) File.WriteAllBytes(f, five);
        int port = 20000 + Random.Shared.Next(20000);
        using var emulator = Process.Start(new ProcessStartInfo("dotnet", new[] { typeof(LoadTest).Assembly.Location, "--serve", port.ToString() })
        { RedirectStandardOutput = true, UseShellExecute = false })!;
        await emulator.StandardOutput.ReadLineAsync();
        try
        {
            string cli = Path.Combine(root, "src", "SpeechStream.Cli", "bin", "Release", "net10.0", "speechstream.dll");
            var common = new[] { "dotnet", cli, "transcribe" }.Concat(files).Concat(new[] { "--endpoint", $"ws://127.0.0.1:{port}/ws", "--auth", "key",
                "--api-key", "bench-key-1", "--speed", "max", "--parallel", parallel.ToString(), "-f", "csv", "-q" }).ToList();
            Console.WriteLine($"{count} inputs of 5 s ({count * 5 / 3600.0:0.00} h of audio), --parallel {parallel}, emulator in another process");
            await Once("stdout", common, count);
            string outDir = Path.Combine(dir, "out");
            await Once("--output-dir", common.Concat(new[] { "--output-dir", outDir }).ToList(), count);
            Console.WriteLine($"  output files: {Directory.GetFiles(outDir, "*.csv").Length}");
        }
        finally { emulator.Kill(); Directory.Delete(dir, true); }
    }

    private static async Task Once(string label, List<string> command, int count)
    {
        var psi = new ProcessStartInfo("/usr/bin/time", new[] { "-f", "%e %U %S %M" }.Concat(command))
        { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        string err = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        await stdout;
        var last = err.Trim().Split('\n').Last().Split(' ');
        double wall = double.Parse(last[0], System.Globalization.CultureInfo.InvariantCulture);
        double cpu = double.Parse(last[1], System.Globalization.CultureInfo.InvariantCulture) + double.Parse(last[2], System.Globalization.CultureInfo.InvariantCulture);
        double rssMb = double.Parse(last[3], System.Globalization.CultureInfo.InvariantCulture) / 1024;
        double hours = count * 5 / 3600.0;
        Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"  {label,-13} exit {p.ExitCode}: {wall:0.0} s wall, {count / wall:0.0} files/s, {cpu:0.00} s CPU, {hours / cpu:0.000} h audio per CPU s, peak RSS {rssMb:0} MB"));
        if (p.ExitCode != 0) Console.WriteLine(err);
    }
}
