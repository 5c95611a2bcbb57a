namespace SpeechStream.Engine.Audio;

/// <summary>
/// Opens what the user names as audio: a WAV file; a compressed or container file (MP3, FLAC, Ogg/Opus,
/// M4A/AAC, WebM, …) through ffmpeg; headerless PCM when its format is declared; or <c>-</c> for standard input
/// (a WAV, a compressed stream, or declared raw PCM). The format is recognised by the file's first bytes, and by
/// its extension when those say nothing.
/// </summary>
public static class AudioInput
{
    /// <summary>The name that means standard input.</summary>
    public const string StandardInput = "-";

    private static readonly Dictionary<string, string> Extensions = new(StringComparer.OrdinalIgnoreCase)
    {
        [".mp3"] = "MP3", [".flac"] = "FLAC", [".ogg"] = "Ogg", [".oga"] = "Ogg", [".opus"] = "Opus", [".m4a"] = "M4A/AAC",
        [".aac"] = "AAC", [".mp4"] = "MP4", [".webm"] = "WebM", [".mkv"] = "Matroska", [".wma"] = "WMA", [".amr"] = "AMR",
        [".aiff"] = "AIFF", [".aif"] = "AIFF", [".caf"] = "CAF",
    };

    /// <summary>Opens <paramref name="path"/>. With <paramref name="raw"/> the input is read as headerless
    /// samples of that format; otherwise it must be a WAV, or a format ffmpeg decodes.</summary>
    /// <param name="stdin">Standard input, when <paramref name="path"/> is "-" (defaults to the console's).</param>
    /// <exception cref="AudioFormatException">The file is missing, unreadable or not supported; the message says which.</exception>
    public static async Task<IAudioSource> OpenAsync(string path, AudioFormat? raw = null, CancellationToken cancellationToken = default,
        Stream? stdin = null)
    {
        bool isStdin = path == StandardInput;
        string name = isStdin ? "standard input" : path;
        // Standard input and FIFOs block in read(2) and open(2), which no token interrupts: both run detached, so that
        // Ctrl+C ends the wait at once (the blocked call is left to the process's exit).
        Stream stream = isStdin
            ? new DetachedReadStream(stdin ?? Console.OpenStandardInput())
            : await Task.Run(() => RawPcmSource.OpenFile(path), CancellationToken.None).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (!isStdin && !stream.CanSeek) stream = new DetachedReadStream(stream);
        try
        {
            // Declared headerless samples: a file is checked for a WAV header first (the header would go out as audio:
            // a click, and every sample after it shifted when its length is odd). A pipe is not: its first bytes may be
            // seconds away (a capture command), and the session connects before they come.
            if (raw is not null && !stream.CanSeek) return new RawPcmSource(stream, raw, name);
            var head = new byte[16];
            int got = 0, n;
            while (got < head.Length && (n = stream is FileStream { IsAsync: false } // a local file: see WavReader
                       ? stream.Read(head.AsSpan(got))
                       : await stream.ReadAsync(head.AsMemory(got), cancellationToken).ConfigureAwait(false)) > 0) got += n;
            Stream whole = stream.CanSeek ? Rewind(stream) : new PrefixedStream(head.AsMemory(0, got), stream);
            if (raw is not null)
            {
                if (WavReader.LooksLikeWav(head.AsSpan(0, got)))
                    throw new AudioFormatException(name, "RawInputIsWav",
                        "it is a WAV file (it begins with a RIFF/WAVE header), but it was declared headerless PCM (--raw, -RawFormat): " +
                        "leave the raw format out, and its header gives the format.");
                return new RawPcmSource(whole, raw, name);
            }
            if (got > 0 && !WavReader.LooksLikeWav(head.AsSpan(0, got)) && Recognise(head.AsSpan(0, got), isStdin ? null : path) is { } kind)
            {
                if (isStdin) return await FfmpegSource.OpenAsync(name, kind, whole, cancellationToken).ConfigureAwait(false);
                await stream.DisposeAsync().ConfigureAwait(false);
                return await FfmpegSource.OpenAsync(path, kind, null, cancellationToken).ConfigureAwait(false);
            }
            return await WavReader.FromStreamAsync(whole, name, leaveOpen: false, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static Stream Rewind(Stream s)
    {
        s.Position = 0;
        return s;
    }

    /// <summary>Names a compressed or container format from its magic bytes (or the extension), or null when it is
    /// none we know (a WAV, or something the WAV reader will refuse with a clear message).</summary>
    public static string? Recognise(ReadOnlySpan<byte> head, string? path)
    {
        if (head.Length >= 3 && head[..3].SequenceEqual("ID3"u8)) return "MP3";
        if (head.Length >= 2 && head[0] == 0xFF && (head[1] & 0xE0) == 0xE0 && (head[1] & 0x06) != 0) return "MP3";
        if (head.Length >= 2 && head[0] == 0xFF && (head[1] & 0xF6) == 0xF0) return "AAC";
        if (head.Length >= 4 && head[..4].SequenceEqual("fLaC"u8)) return "FLAC";
        if (head.Length >= 4 && head[..4].SequenceEqual("OggS"u8)) return "Ogg";
        if (head.Length >= 8 && head.Slice(4, 4).SequenceEqual("ftyp"u8)) return "M4A/MP4";
        if (head.Length >= 4 && head[0] == 0x1A && head[1] == 0x45 && head[2] == 0xDF && head[3] == 0xA3) return "WebM/Matroska";
        if (head.Length >= 4 && head[..4].SequenceEqual("FORM"u8)) return "AIFF";
        if (head.Length >= 4 && head[..4].SequenceEqual("caff"u8)) return "CAF";
        if (head.Length >= 6 && head[..6].SequenceEqual("#!AMR\n"u8)) return "AMR";
        if (WavReader.IsRiffMagic(head)) return null;
        return path is not null && Extensions.TryGetValue(Path.GetExtension(path), out var kind) ? kind : null;
    }

    /// <summary>A read-only stream that replays bytes already read before the rest of another stream.</summary>
    private sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream rest) : ReadOnlyWrapperStream(rest)
    {
        private ReadOnlyMemory<byte> _prefix = prefix;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_prefix.Length == 0) return await Inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            int n = Math.Min(buffer.Length, _prefix.Length);
            _prefix[..n].CopyTo(buffer);
            _prefix = _prefix[n..];
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
    }
}
