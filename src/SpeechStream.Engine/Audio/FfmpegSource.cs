namespace SpeechStream.Engine.Audio;

/// <summary>
/// Compressed and container formats (MP3, FLAC, Ogg/Opus, M4A/AAC, WebM, …) decoded by <c>ffmpeg</c>, streamed
/// through a pipe: ffmpeg writes 32-bit float WAV at the file's own rate and channel count to its standard output
/// (never a temporary file), and our RIFF walker, mixer and resampler take it from there, as for any WAV.
/// </summary>
internal static class FfmpegSource
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
        // Info level, each line tagged with its level: the input's declared duration is read from it, and only the
        // errors are kept for messages (as with -loglevel error before).
        var args = new List<string> { "-nostdin", "-hide_banner", "-nostats", "-loglevel", "level+info", "-i", input is null ? path : "pipe:0",
            "-vn", "-map", "0:a:0", "-f", "wav", "-acodec", "pcm_f32le", "pipe:1" };
        if (input is not null) args.RemoveAt(0); // ffmpeg reads the audio from its standard input
        var log = new FfmpegLog();
        var process = ChildProcess.Start(ffmpeg, args, redirectInput: input is not null, errorLine: log.Take);
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
            return new Decoded(wav, process, feed, log, formatName);
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

    /// <summary>Decoded audio may fall this short of the declared duration (seconds) and still be whole: an MP3's
    /// declared duration counts the encoder's delay and padding, which ffmpeg trims (0.1 s on our 27.73 s call).</summary>
    public const double DurationTolerance = 0.5;

    /// <summary>The WAV ffmpeg writes, tied to the process: disposing ends both. A failure of ffmpeg mid-stream
    /// (non-zero exit) surfaces as an error rather than a silently short file; an input that decodes to less than its
    /// header declares (a truncated FLAC or MP3, which ffmpeg decodes as far as it goes and exits 0) is reported through
    /// <see cref="Shortfall"/>.</summary>
    private sealed class Decoded(WavReader wav, ChildProcess process, Task? feed, FfmpegLog log, string formatName) : IAudioSource
    {
        private long _samples;

        public string Name => wav.Name;
        public AudioFormat Format => wav.Format;
        public double? DurationSeconds => null;
        public AudioShortfall? Shortfall { get; private set; }

        public async ValueTask<int> ReadAsync(Memory<float> destination, CancellationToken cancellationToken = default)
        {
            int n = await wav.ReadAsync(destination, cancellationToken).ConfigureAwait(false);
            _samples += n;
            if (n == 0)
            {
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
                if (process.ExitCode != 0)
                    throw new AudioFormatException(Name, "FfmpegFailed", $"ffmpeg stopped with exit code {process.ExitCode} while decoding: {process.ErrorTail}");
                double read = _samples / (double)Format.Channels / Format.SampleRate;
                if (log.DeclaredSeconds is double declared && declared - read > DurationTolerance)
                    Shortfall = new AudioShortfall(declared, read, $"its {formatName} header (as ffmpeg reads it)");
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

    /// <summary>What ffmpeg's standard error (<c>-loglevel level+info</c>) says about the input: its declared duration,
    /// and its error lines (kept for messages, without their level tag).</summary>
    internal sealed class FfmpegLog
    {
        private static readonly System.Text.RegularExpressions.Regex DurationLine =
            new(@"^\[info\]\s+Duration: (\d+):(\d{2}):(\d{2}(?:\.\d+)?)", System.Text.RegularExpressions.RegexOptions.CultureInvariant);
        private double? _duration;
        private bool _estimated, _video;

        /// <summary>The input's duration as its header or container declares it, in seconds; null when it declares none,
        /// when ffmpeg only estimated it from the bitrate, or when the input has a video stream (the container's duration
        /// may then be the video's).</summary>
        public double? DeclaredSeconds => _estimated || _video ? null : _duration; // read after the process and its error pump have ended

        /// <summary>One line of ffmpeg's standard error; returns what to keep for messages (the errors), or null.</summary>
        public string? Take(string line)
        {
            if (_duration is null && DurationLine.Match(line) is { Success: true } m)
                _duration = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) * 3600
                    + int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) * 60
                    + double.Parse(m.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture);
            if (line.Contains("Estimating duration from bitrate", StringComparison.Ordinal)) _estimated = true;
            if (line.Contains(": Video: ", StringComparison.Ordinal) && !line.Contains("(attached pic)", StringComparison.Ordinal)) _video = true;
            foreach (var tag in new[] { "[error] ", "[fatal] ", "[panic] " })
                if (line.IndexOf(tag, StringComparison.Ordinal) is int at and >= 0) return line.Remove(at, tag.Length);
            return null;
        }
    }
}
