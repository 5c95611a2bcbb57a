using System.Diagnostics;
using Xunit.Abstractions;

namespace SpeechStream.Tests;

/// <summary>The CLI in its own process, against an emulator in this process (so its close frames are seen),
/// stopped by a hangup (SIGHUP: exit 129, as SIGTERM) while ffmpeg decodes and rows go to an output folder, and by a
/// standard output that cannot be written (a full disk: exit 74, not taken for a closed reader).</summary>
public class CliStopTests(ITestOutputHelper output)
{
    private static readonly string[] Voxist = { "--api-key", "K-12345", "--auth", "key", "-l", "en" };

    [Fact]
    public async Task Sighup_closes_the_session_ends_ffmpeg_and_keeps_the_rows_as_incomplete()
    {
        string dir = Directory.CreateTempSubdirectory("hup-").FullName;
        string flac = Path.Combine(dir, "call.flac"), outDir = Path.Combine(dir, "out");
        var convert = Process.Start("ffmpeg", new[] { "-nostdin", "-loglevel", "error", "-i", Fixtures.Audio("call-mono-16k.wav"), flac })!;
        convert.WaitForExit();
        Assert.True(convert.ExitCode == 0 && File.Exists(flac), "ffmpeg made the FLAC");
        await using var server = Harness.Server("Voxist", "call-mono-16k.wav");
        using var cli = ChildCli.Start(false, new[] { "transcribe", flac, "--endpoint", server.Endpoint.ToString(), "--speed", "1",
            "-f", "csv", "--output-dir", outDir }.Concat(Voxist).ToArray());

        // A row is in the hidden temporary file (header and one row, flushed per row), ffmpeg is running.
        string Temp() => Directory.Exists(outDir) ? Directory.GetFiles(outDir, ".call.csv.*.tmp").FirstOrDefault() ?? "" : "";
        while (Temp() is not { Length: > 0 } t || File.ReadAllLines(t).Length < 2) { Assert.False(cli.Process.HasExited, cli.Err); await Task.Delay(50); }
        string ffmpeg = $"ffmpeg .*{Path.GetFileName(dir)}/call.flac";
        Assert.True(ChildCli.Pgrep(ffmpeg), "ffmpeg decodes the FLAC");

        var (code, ms) = await cli.StopWith("HUP");
        output.WriteLine($"SIGHUP: exit {code} after {ms:0} ms\n{cli.Err}");
        Assert.True(code == 129, cli.Err);
        var connection = Assert.Single(await ChildCli.Ended(server));
        Assert.True(connection.ClientCloseCode is not null, $"the CLI sent a close frame; the connection ended: {connection.Ending}");
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (ChildCli.Pgrep(ffmpeg) && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.False(ChildCli.Pgrep(ffmpeg), "ffmpeg was ended");
        Assert.Equal(new[] { "call.incomplete.csv" }, Directory.GetFiles(outDir).Select(Path.GetFileName)); // no hidden file left
        var rows = File.ReadAllLines(Path.Combine(outDir, "call.incomplete.csv"));
        Assert.True(rows.Length >= 2, "the header and the rows received");
        Assert.Contains("and mister john dashwood", rows[1]);
        Assert.Contains("speechstream: hangup (SIGHUP); sessions closed, rows received were written.", cli.Err);
    }

    [Fact]
    public async Task A_full_disk_on_stdout_is_a_write_error_74_not_a_closed_reader_and_the_session_is_closed()
    {
        Assert.True(File.Exists("/dev/full"), "/dev/full: writes fail with ENOSPC");
        await using var server = Harness.Server("Voxist", "call-mono-16k.wav");
        // 27.7 s of audio at 2x: the first row, written long before the end, fails.
        using var cli = ChildCli.StartWithStdout("/dev/full", new[] { "transcribe", Fixtures.Audio("call-mono-16k.wav"),
            "--endpoint", server.Endpoint.ToString(), "--speed", "2" }.Concat(Voxist).ToArray());
        Assert.True(cli.Process.WaitForExit(TimeSpan.FromSeconds(60)), cli.Err);
        await cli.Stderr;
        output.WriteLine($"> /dev/full: exit {cli.Process.ExitCode}\n{cli.Err}");
        Assert.True(cli.Process.ExitCode == 74, cli.Err);
        Assert.Contains("speechstream: cannot write standard output: No space left on device", cli.Err);
        Assert.DoesNotContain("standard output was closed", cli.Err);
        Assert.DoesNotContain("Unhandled", cli.Err);
        var connection = Assert.Single(await ChildCli.Ended(server));
        Assert.True(connection.ClientCloseCode is not null, $"the CLI sent a close frame; the connection ended: {connection.Ending}");
        long whole = new FileInfo(Fixtures.Audio("call-mono-16k.wav")).Length - 44;
        Assert.True(connection.AudioBytes < whole * 3 / 4, $"the upload stopped at the failed write: {connection.AudioBytes} of {whole} bytes sent");
    }
}
