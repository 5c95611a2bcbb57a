namespace SpeechStream.Engine.Audio;

/// <summary>
/// Compressed and container formats (MP3, FLAC, Ogg/Opus, M4A/AAC, WebM, …) decoded by <c>ffmpeg</c>, streamed
/// through a pipe: ffmpeg writes 32-bit float WAV at the file's own rate and channel count to its standard output
/// (never a temporary file), and our RIFF walker, mixer and resampler take it from there, as for any WAV.
/// </summary>
public static class FfmpegSource
{
    /// <summary>What to tell a user who has no ffmpeg, per platform.</summary>
    public static string InstallHint =>
        OperatingSystem.IsWindows() ? "install it (winget install ffmpeg, or choco install ffmpeg) and make sure ffmpeg.exe is on PATH"
        : OperatingSystem.IsMacOS() ? "install it (brew install ffmpeg)"
        : "install it (sudo apt-get install ffmpeg, or your distribution's ffmpeg package)";

    /// <summary>Starts ffmpeg on <paramref name="path"/> (or on <paramref name="input"/> piped to it when the path is "-").</summary>
    /// <param name="formatName">What the input was recognised as (for messages), e.g. "MP3".</param>
    /// <exception cref="AudioFormatException">FfmpegMissing, or FfmpegFailed with ffmpeg's own message.</exception>
    public static async Task<IAudioSource> OpenAsync(string path, string formatName, Stream? input, CancellationToken ct)
    {
        var ffmpeg = ChildProcess.FindOnPath("ffmpeg")
            ?? throw new AudioFormatException(path, "FfmpegMissing",
                $"this is {formatName} audio, which SpeechStream decodes through ffmpeg, and ffmpeg is not on PATH: {InstallHint}. " +
                "Or convert it to WAV first.");
        var args = new List<string> { "-nostdin", "-hide_banner", "-loglevel", "error", "-i", input is null ? path : "pipe:0",
            "-vn", "-map", "0:a:0", "-f", "wav", "-acodec", "pcm_f32le", "pipe:1" };
        if (input is not null) args.RemoveAt(0); // ffmpeg reads the audio from its standard input
        var process = ChildProcess.Start(ffmpeg, args, redirectInput: input is not null);
        Task? feed = null;
        if (input is not null)
            feed = Task.Run(async () =>
            {
                try { await input.CopyToAsync(process.Input, ct).ConfigureAwait(false); }
                catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException) { }
                finally { try { process.Input.Close(); } catch (IOException) { } }
            }, CancellationToken.None);
        try
        {
            var wav = await WavReader.FromStreamAsync(process.Output, path, leaveOpen: true, ct).ConfigureAwait(false);
            return new Decoded(wav, process, feed);
        }
        catch (AudioFormatException e)
        {
            try { await process.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(5), ct).ConfigureAwait(false); } catch (TimeoutException) { }
            string why = process.ErrorTail;
            await process.DisposeAsync().ConfigureAwait(false);
            throw new AudioFormatException(path, "FfmpegFailed",
                $"ffmpeg could not decode this {formatName} file: {(why.Length > 0 ? why : e.Message)}", e);
        }
        catch
        {
            await process.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The WAV ffmpeg writes, tied to the process: disposing ends both. A failure of ffmpeg mid-stream
    /// (non-zero exit) surfaces as an error rather than a silently short file.</summary>
    private sealed class Decoded(WavReader wav, ChildProcess process, Task? feed) : IAudioSource
    {
        public string Name => wav.Name;
        public AudioFormat Format => wav.Format;
        public double? DurationSeconds => null;

        public async ValueTask<int> ReadAsync(Memory<float> destination, CancellationToken cancellationToken = default)
        {
            int n = await wav.ReadAsync(destination, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
                if (process.ExitCode != 0)
                    throw new AudioFormatException(Name, "FfmpegFailed", $"ffmpeg stopped with exit code {process.ExitCode} while decoding: {process.ErrorTail}");
            }
            return n;
        }

        public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

        public async ValueTask DisposeAsync()
        {
            await process.DisposeAsync().ConfigureAwait(false);
            wav.Dispose();
            if (feed is not null) await feed.ConfigureAwait(false);
        }
    }
}
