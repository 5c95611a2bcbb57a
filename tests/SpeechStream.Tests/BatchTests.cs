using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using SpeechStream.Engine;
using SpeechStream.Engine.Jobs.Batch;
using SpeechStream.Engine.Transcripts.Formats;
using SpeechStream.Engine.Transcripts;
using Xunit.Abstractions;

namespace SpeechStream.Tests;

/// <summary>Batches: one output per input written atomically, incomplete ones named so, --skip-existing, --parallel
/// without interleaved rows, and shards (stable, disjoint, covering; side by side in separate processes; a killed
/// shard resumed).</summary>
public class BatchTests(ITestOutputHelper output)
{
    /// <summary>Copies fixture clips (with their sidecars, which the emulator replays) under new names.</summary>
    internal static List<string> Clips(string dir, int count)
    {
        var sources = new[] { "librivox-1", "librivox-2", "librivox-3", "librivox-4", "librivox-5" };
        var result = new List<string>();
        for (int i = 0; i < count; i++)
        {
            string name = $"clip-{i:000}", src = sources[i % sources.Length];
            File.Copy(Fixtures.Audio(src + ".wav"), Path.Combine(dir, name + ".wav"));
            File.Copy(Fixtures.Audio(src + ".json"), Path.Combine(dir, name + ".json"));
            result.Add(Path.Combine(dir, name + ".wav"));
        }
        return result;
    }

    [Fact]
    public async Task An_output_folder_gets_one_whole_file_per_input_and_a_rerun_skips_them()
    {
        string dir = Directory.CreateTempSubdirectory("batch-").FullName, outDir = Path.Combine(dir, "out");
        var clips = Clips(dir, 4);
        var args = new[] { "transcribe" }.Concat(clips).Concat(new[] { "--emulate", "--speed", "max", "-f", "csv", "--output-dir", outDir, "--parallel", "2", "--skip-existing" }).ToArray();
        var (code, stdout, stderr) = await CliTests.Run(args);
        Assert.True(code == 0, stderr);
        Assert.Equal("", stdout);
        Assert.Equal(clips.Select(c => Path.GetFileNameWithoutExtension(c) + ".csv").OrderBy(n => n), Directory.GetFiles(outDir).Select(Path.GetFileName).OrderBy(n => n));
        foreach (var c in clips)
        {
            var rows = File.ReadAllLines(Path.Combine(outDir, Path.GetFileNameWithoutExtension(c) + ".csv"));
            Assert.Equal(string.Join(",", TranscriptColumns.Names.Select(x => $"\"{x}\"")), rows[0]);
            Assert.All(rows.Skip(1), r => Assert.Contains(Path.GetFileName(c), r));
        }
        Assert.Contains("4 file(s): 4 whole, 0 incomplete, 0 failed, 0 skipped", stderr);
        var written = Directory.GetFiles(outDir).ToDictionary(f => f, File.GetLastWriteTimeUtc);

        var again = await CliTests.Run(args);
        Assert.Equal(0, again.Code);
        Assert.Contains("4 file(s): 0 whole, 0 incomplete, 0 failed, 4 skipped", again.Err);
        Assert.All(written, w => Assert.Equal(w.Value, File.GetLastWriteTimeUtc(w.Key)));
    }

    [Fact]
    public async Task An_incomplete_transcript_is_named_so_exits_5_and_is_redone_by_skip_existing()
    {
        string dir = Directory.CreateTempSubdirectory("batch-").FullName, outDir = Path.Combine(dir, "out");
        var clip = Clips(dir, 1)[0];
        var incomplete = await CliTests.Run("transcribe", clip, "--emulate", "--emulator-profile", "close-without-completion", "--speed", "max",
            "-f", "jsonl", "--output-dir", outDir);
        Assert.Equal(5, incomplete.Code);
        Assert.Equal(new[] { "clip-000.incomplete.jsonl" }, Directory.GetFiles(outDir).Select(Path.GetFileName));
        Assert.Contains("1 incomplete", incomplete.Err);

        var resumed = await CliTests.Run("transcribe", clip, "--emulate", "--speed", "max", "-f", "jsonl", "--output-dir", outDir, "--skip-existing");
        Assert.True(resumed.Code == 0, resumed.Err);
        Assert.Equal(new[] { "clip-000.jsonl" }, Directory.GetFiles(outDir).Select(Path.GetFileName)); // the stale incomplete went
    }

    [Fact]
    public async Task Parallel_inputs_write_whole_rows_each_with_its_source()
    {
        string dir = Directory.CreateTempSubdirectory("batch-").FullName;
        var clips = Clips(dir, 6);
        var (code, stdout, stderr) = await CliTests.Run(new[] { "transcribe" }.Concat(clips).Concat(new[] { "--emulate", "--speed", "8", "-f", "jsonl", "--parallel", "6" }).ToArray());
        Assert.True(code == 0, stderr);
        var rows = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList();
        foreach (var c in clips)
        {
            string expected = Fixtures.ReferenceText(new[] { "librivox-1", "librivox-2", "librivox-3", "librivox-4", "librivox-5" }[clips.IndexOf(c) % 5] + ".wav");
            var mine = rows.Where(r => r.GetProperty("source").GetString() == c).Select(r => r.GetProperty("text").GetString());
            Assert.Equal(expected, string.Join(" ", mine));
        }
    }

    [Fact]
    public void Two_inputs_with_the_same_name_cannot_share_an_output_folder()
    {
        var e = Assert.Throws<AsrException>(() => OutputFolder.CheckUnique(new[] { "/a/call.wav", "/b/call.mp3" }));
        Assert.Equal("OutputNameClash", e.ErrorId);
        Assert.Contains("/a/call.wav", e.Message);
    }

    [Fact]
    public void Shards_are_stable_disjoint_and_cover_every_input()
    {
        var inputs = Enumerable.Range(0, 1000).Select(i => $"archive/2026/call-{i:0000}.wav").ToList();
        var shards = Enumerable.Range(1, 8).Select(k => new Shard(k, 8)).ToList();
        foreach (var input in inputs) Assert.Single(shards, s => s.Includes(input));
        Assert.All(shards, s => Assert.InRange(inputs.Count(s.Includes), 80, 170)); // about 125 each
        // Stable: the shard is the SHA-256 of the path (with '/' separators) modulo N, computed here independently.
        foreach (var input in inputs.Take(20))
        {
            ulong h = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(input)));
            Assert.Equal((int)(h % 8) + 1, Shard.Of(input.Replace('/', '\\'), 8));
        }
        Assert.Contains("+1", Assert.Throws<AsrException>(() => Shard.Parse("0/4")).Message);
        Assert.Throws<AsrException>(() => Shard.Parse("5/4"));
        Assert.Equal(new Shard(2, 4), Shard.Parse("2/4"));
    }

    private static Process StartCli(string workDir, params string[] args)
    {
        return Process.Start(CliRunner.StartInfo(args, workDir: workDir))!;
    }

    /// <summary>Three shards in three processes over one archive and one output folder: every input done exactly once.
    /// Then shard 1 is killed mid-run (SIGKILL) and run again with --skip-existing: it skips what was done, redoes
    /// the rest, and leaves no temporary file.</summary>
    [Fact]
    public async Task Shards_side_by_side_do_every_input_once_and_a_killed_shard_resumes()
    {
        string dir = Directory.CreateTempSubdirectory("shards-").FullName, outDir = Path.Combine(dir, "out");
        var clips = Clips(dir, 12).Select(Path.GetFileName).ToList();
        string[] Args(int k, string speed) => new[] { "transcribe" }.Concat(clips!).Concat(new[]
            { "--emulate", "--speed", speed, "-f", "csv", "--output-dir", "out", "--skip-existing", "--shard", $"{k}/3" }).ToArray();
        var runs = Enumerable.Range(1, 3).Select(k => StartCli(dir, Args(k, "max"))).ToList();
        var errs = await Task.WhenAll(runs.Select(p => p.StandardError.ReadToEndAsync()));
        foreach (var p in runs) { await p.WaitForExitAsync(); Assert.True(p.ExitCode == 0, string.Join("\n", errs)); }
        foreach (var e in errs) output.WriteLine(e.Trim());
        var done = Directory.GetFiles(outDir).Select(Path.GetFileName).OrderBy(n => n).ToList();
        Assert.Equal(clips.Select(c => Path.ChangeExtension(c, ".csv")).OrderBy(n => n), done);
        Assert.Equal(12, errs.Sum(e => int.Parse(System.Text.RegularExpressions.Regex.Match(e, @"shard \d/3: (\d+) of 12").Groups[1].Value)));

        // Kill shard 1 while it works at real time, after its first input is done.
        var mine = clips.Where(c => Shard.Of(c!, 3) == 1).ToList();
        Assert.True(mine.Count >= 2, "shard 1 has at least two inputs");
        foreach (var c in mine) File.Delete(Path.Combine(outDir, Path.ChangeExtension(c!, ".csv")));
        var victim = StartCli(dir, Args(1, "2"));
        while (!Directory.GetFiles(outDir).Any(f => mine.Any(c => Path.GetFileName(f) == Path.ChangeExtension(c, ".csv"))))
        {
            if (victim.HasExited) Assert.Fail("shard 1 ended before it was killed: " + await victim.StandardError.ReadToEndAsync());
            await Task.Delay(50);
        }
        victim.Kill();
        await victim.WaitForExitAsync();
        int finished = mine.Count(c => File.Exists(Path.Combine(outDir, Path.ChangeExtension(c!, ".csv"))));
        output.WriteLine($"killed shard 1/3 after {finished} of {mine.Count} inputs; left: {string.Join(", ", Directory.GetFiles(outDir, ".*").Select(Path.GetFileName))}");
        Assert.InRange(finished, 1, mine.Count - 1);

        var resume = StartCli(dir, Args(1, "max"));
        string resumeErr = await resume.StandardError.ReadToEndAsync();
        await resume.WaitForExitAsync();
        output.WriteLine(resumeErr.Trim());
        Assert.True(resume.ExitCode == 0, resumeErr);
        Assert.Contains($"{finished} skipped", resumeErr);
        Assert.Equal(clips.Select(c => Path.ChangeExtension(c, ".csv")).OrderBy(n => n), Directory.GetFiles(outDir).Select(Path.GetFileName).OrderBy(n => n));
    }
}
