using System.Buffers.Binary;
using System.Diagnostics;
using SpeechStream.Emulator;

namespace SpeechStream.Tests;

/// <summary>
/// Input cut short where its length cannot be checked before it is read (a WAV through
/// standard input, a FLAC or MP3 that ffmpeg decodes as far as it goes and exits 0) is refused as a truncated WAV file
/// is (exit 2, <c>AudioDataTruncated</c>), once the audio that did come has been transcribed: the rows received are
/// kept, and the message names the input and the seconds read, declared and missing. Whole inputs, and the placeholder
/// sizes recorders write to a pipe, stay whole. Runs the CLI (in process, or the native executable).
/// </summary>
public sealed class AudioInTruncationTests : IDisposable
{
    private const string Call = "call-mono-16k.wav"; // 27.73 s, 44-byte header
    private readonly string _dir = Directory.CreateTempSubdirectory("ss-trunc-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Task<(int Code, string Out, string Err)> Transcribe(string input, Stream? stdin, EmulatorServer server) =>
        CliRunner.RunAsync(new[] { "transcribe", input, "--speed", "max", "--endpoint", server.Endpoint.ToString(), "--api-key", Harness.Key,
            "-l", "en", "-f", "csv" }, stdin);

    private static int Rows(string csv) => csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1;

    [Fact]
    public async Task A_wav_cut_short_on_standard_input_is_refused_naming_the_seconds_missing_and_its_rows_are_kept()
    {
        await using var server = Harness.Server("Voxist", Call);
        var cut = File.ReadAllBytes(Fixtures.Audio(Call))[..100_000]; // 99,956 bytes of data: 3.12 s of the 27.73 s declared
        var (code, stdout, err) = await Transcribe("-", new MemoryStream(cut), server);
        Assert.True(code == 2, $"exit {code}: {err}");
        Assert.Contains("'standard input': the audio is truncated", err);
        Assert.Contains("ended after 3.12 s, but its WAV header declares 27.73 s", err);
        Assert.Contains("3.12-27.73 s (24.61 s) are missing", err);
        Assert.True(Rows(stdout) >= 1, stdout); // the first sentence (0.15-3.0 s) was sent and transcribed: kept
        Assert.Equal(3.12, server.Connections.Sum(c => c.AudioBytes) / 32000.0, 2);
    }

    [Fact]
    public async Task A_wav_on_standard_input_with_a_recorders_placeholder_size_is_read_to_its_end_and_whole()
    {
        await using var server = Harness.Server("Voxist", Call);
        var wav = File.ReadAllBytes(Fixtures.Audio(Call));
        BinaryPrimitives.WriteUInt32LittleEndian(wav.AsSpan(4), 0x7FFFF024); // sox writing to a pipe: it cannot seek back to patch them
        BinaryPrimitives.WriteUInt32LittleEndian(wav.AsSpan(40), 0x7FFFF000);
        var (code, stdout, err) = await Transcribe("-", new MemoryStream(wav), server);
        Assert.True(code == 0, $"exit {code}: {err}");
        Assert.Contains("dashwood", stdout);
    }

    [Theory]
    [InlineData("flac", "FLAC", "27.73")]
    [InlineData("mp3", "MP3", "27.83")] // the MP3's declared duration counts the encoder's delay and padding
    public async Task A_truncated_compressed_file_is_refused_naming_it_and_the_seconds_missing(string ext, string kind, string declared)
    {
        string whole = await EncodeAsync(ext), cut = Path.Combine(_dir, "cut." + ext);
        var bytes = File.ReadAllBytes(whole);
        File.WriteAllBytes(cut, bytes[..(bytes.Length / 4)]);
        await using var server = Harness.Server("Voxist", Call);
        var (code, _, err) = await Transcribe(cut, null, server);
        Assert.True(code == 2, $"exit {code}: {err}");
        Assert.Contains($"'{cut}': the audio is truncated", err);
        Assert.Matches($@"ended after (\d+\.\d\d) s, but its {kind} header \(as ffmpeg reads it\) declares {declared} s; \1-{declared} s \(\d+\.\d\d s\) are missing", err);
        double sent = server.Connections.Sum(c => c.AudioBytes) / 32000.0;
        Assert.InRange(sent, 1, 10); // what ffmpeg decoded went out before the verdict
    }

    [Theory]
    [InlineData("flac")]
    [InlineData("mp3")]
    public async Task A_whole_compressed_file_is_whole(string ext)
    {
        string whole = await EncodeAsync(ext);
        await using var server = Harness.Server("Voxist", Call);
        var (code, stdout, err) = await Transcribe(whole, null, server);
        Assert.True(code == 0, $"exit {code}: {err}");
        Assert.Contains("dashwood", stdout);
        Assert.DoesNotContain("truncated", err);
    }

    /// <summary>The call encoded by ffmpeg into <paramref name="ext"/> (FLAC; MP3 with its Xing/LAME header).</summary>
    private async Task<string> EncodeAsync(string ext)
    {
        string path = Path.Combine(_dir, "call." + ext);
        var psi = new ProcessStartInfo("ffmpeg", new[] { "-nostdin", "-v", "error", "-y", "-i", Fixtures.Audio(Call), path })
        { RedirectStandardError = true, UseShellExecute = false };
        using var p = Process.Start(psi)!;
        string err = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, err);
        return path;
    }
}
