namespace SpeechStream.Engine.Audio;

/// <summary>Headerless PCM whose format the user declares (<c>-RawFormat s16le -RawSampleRate 16000 -RawChannels 1</c>).</summary>
internal sealed class RawPcmSource : ByteStreamAudioSource
{
    /// <exception cref="AsrException">InvalidInput when the rate or channel count is not positive.</exception>
    public RawPcmSource(Stream stream, AudioFormat format, string name, bool leaveOpen = false)
        : base(stream, name, leaveOpen)
    {
        if (format.SampleRate < WavReader.MinSampleRate || format.SampleRate > WavReader.MaxSampleRate)
            throw new AsrException(AsrErrorKind.InvalidInput, "RawSampleRateInvalid",
                $"'{name}': raw sample rate {format.SampleRate} Hz is not valid; expected {WavReader.MinSampleRate} to {WavReader.MaxSampleRate} Hz.");
        if (format.Channels <= 0 || format.Channels > 64)
            throw new AsrException(AsrErrorKind.InvalidInput, "RawChannelsInvalid",
                $"'{name}': raw channel count {format.Channels} is not valid; expected 1 to 64.");
        Format = format;
        SetDataLength(stream.CanSeek ? stream.Length - stream.Position : null);
    }

    public static RawPcmSource Open(string path, AudioFormat format) =>
        new(OpenFile(path), format, path);

    internal static FileStream OpenFile(string path)
    {
        if (Directory.Exists(path))
            throw new AudioFormatException(path, "AudioPathIsFolder",
                $"it is a folder, not an audio file: name the files in it (e.g. '{Path.Combine(path, "*.wav")}').");
        try
        {
            // Not FileOptions.Asynchronous: sequential reads of a local file complete at once, so the async read
            // chain completes synchronously and allocates nothing per read (measured: ~250 bytes per read otherwise).
            // No buffer (size 0): every read asks the kernel for its bytes, which the page cache (and SequentialScan's
            // read-ahead) already holds. A paced session reads a chunk's worth at a time, 10 reads a second of 100 ms
            // chunks, ~2 µs each; a 16 KB buffer saved four of five reads but kept 16 KB per session (with 2,000 sessions,
            // 32 MB, as much as 1 s of every session's replay audio). Bulk reads of whole blocks passed it by anyway.
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new AudioFormatException(path, e is FileNotFoundException or DirectoryNotFoundException ? "AudioFileNotFound" : "AudioFileUnreadable",
                $"cannot open the file: {e.Message}", e);
        }
    }
}
