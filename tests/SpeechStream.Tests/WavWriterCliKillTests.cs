using System.Buffers.Binary;
using System.Diagnostics;
using SpeechStream.Emulator;
using SpeechStream.Engine.Audio;

namespace SpeechStream.Tests;

/// <summary>A recording killed for real: <c>speechstream speak</c> in a process of its own (or the native
/// executable), its TTS server stalled after three 100 ms chunks, is killed with SIGKILL while it waits for more. The
/// WAV it leaves holds the three chunks, with sizes that say so (it was empty, or cut at the file buffer's 4 KB, with
/// sizes of 0, before the writer flushed after each chunk).</summary>
public sealed class WavWriterCliKillTests
{
    [Fact]
    public async Task A_speak_killed_mid_file_leaves_a_valid_wav_of_the_chunks_received()
    {
        const int Chunks = 3, ChunkBytes = 3200, Expected = 44 + Chunks * ChunkBytes; // 16 kHz s16 mono: 0.3 s
        await using var server = EmulatorServer.Start("VoxNexus", new EmulatorOptions { Faults = { TtsStallAfterChunks = Chunks } });
        string path = Path.Combine(Path.GetTempPath(), $"kill-{Guid.NewGuid():n}.wav");
        var psi = CliRunner.StartInfo(new[] { "speak", new string('a', 100), "--out", path, "--api-key", Harness.Key,
            "--endpoint", $"ws://127.0.0.1:{server.Port}{VoxNexusEmulator.TtsPath}" });
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        try
        {
            // Until the three chunks are on disk (a guard against a hang, not a bound on speed: the old writer never got there).
            var exited = p.WaitForExitAsync();
            var waited = Stopwatch.StartNew();
            while (Length(path) < Expected && !exited.IsCompleted && waited.Elapsed < TimeSpan.FromMinutes(2)) await Task.Delay(50);
            if (exited.IsCompleted) Assert.Fail($"speak ended (exit {p.ExitCode}) instead of waiting: {await stderr}");
            p.Kill(); // SIGKILL: no finally, no dispose, no flush
            await exited;
            Assert.DoesNotContain("sent nothing", await stderr); // killed while it waited, not after its own idle timeout closed the file
            var bytes = await File.ReadAllBytesAsync(path);
            Assert.Equal(Expected, bytes.Length);
            Assert.Equal((uint)(Expected - 8), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)));
            Assert.Equal((uint)(Chunks * ChunkBytes), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(40)));
            await using var wav = await WavReader.OpenAsync(path);
            Assert.Equal(Chunks * 0.1, wav.DurationSeconds!.Value, 9);
        }
        finally
        {
            if (!p.HasExited) p.Kill();
            File.Delete(path);
        }
    }

    private static long Length(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;
}
