using System.Buffers.Binary;
using System.Text;

namespace SpeechStream.Engine.Audio;

/// <summary>
/// Reads a WAV file as a stream by walking its RIFF chunks: PCM 8/16/24/32-bit, IEEE float 32/64-bit,
/// mu-law, A-law and WAVE_FORMAT_EXTENSIBLE, any channel count. Chunks before <c>data</c> (LIST, fact, …)
/// are skipped, odd chunk sizes honour the pad byte, and a data size of 0 or 0xFFFFFFFF (written by
/// streaming recorders; on a pipe also sox's and arecord's placeholders near 2 GiB) means "read to the end of the file".
/// A file shorter than its declared data is refused before anything is read (<c>AudioDataTruncated</c>); a pipe, whose
/// length is known only at its end, reports it then through <see cref="ByteStreamAudioSource.Shortfall"/>. Only the data chunk is ever handed out,
/// never the header (every provider's README: only decoded PCM is sent).
/// </summary>
/// <remarks>Every refusal is an <see cref="AudioFormatException"/> naming the file, what was found and what is supported.
/// <para>Kept instead of NAudio.Core's <c>WaveFileReader</c> (NAudio 3.3 writes our WAV files, <see cref="WavFileWriter"/>):
/// NAudio's reader seeks while it reads the header, so on standard input or a pipe (<c>transcribe -</c>, ffmpeg's
/// output) it throws <c>NotSupportedException: Stream does not support seeking</c> (checked with a <c>cat</c> pipe);
/// this one reads forward only.</para></remarks>
public sealed class WavReader : ByteStreamAudioSource
{
    private const string Supported =
        "supported: PCM 8/16/24/32-bit, IEEE float 32/64-bit, mu-law, A-law, and WAVE_FORMAT_EXTENSIBLE of these";

    /// <summary>Largest channel count and sample rate accepted (as for raw input): beyond them a header is damaged.</summary>
    public const int MaxChannels = 64, MaxSampleRate = 768_000;

    /// <summary>The lowest sample rate read, in Hz: below it a header is wrong (a 1 Hz header would make a short call
    /// last hours), and no speech-to-text provider takes it; telephony's 8000 Hz is the lowest in use.</summary>
    public const int MinSampleRate = 4000;

    private WavReader(Stream stream, string name, bool leaveOpen) : base(stream, name, leaveOpen) { }

    /// <summary>The WAV format tag found in the header (after resolving WAVE_FORMAT_EXTENSIBLE).</summary>
    public int FormatTag { get; private set; }

    /// <summary>Opens a WAV file and reads its header.</summary>
    /// <exception cref="AudioFormatException">The file is missing, not a WAV, truncated, or of an unsupported codec.</exception>
    public static async Task<WavReader> OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        var fs = RawPcmSource.OpenFile(path);
        try
        {
            return await FromStreamAsync(fs, path, leaveOpen: false, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await fs.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Reads a WAV header from any stream, seekable or not (stdin, a pipe).</summary>
    public static async Task<WavReader> FromStreamAsync(Stream stream, string name, bool leaveOpen = false,
        CancellationToken cancellationToken = default)
    {
        var r = new WavReader(stream, name, leaveOpen);
        await r.ReadHeaderAsync(cancellationToken).ConfigureAwait(false);
        return r;
    }

    /// <summary>True when the first bytes look like a RIFF/WAVE header.</summary>
    public static bool LooksLikeWav(ReadOnlySpan<byte> head) =>
        head.Length >= 12 && IsRiffMagic(head) && head.Slice(8, 4).SequenceEqual("WAVE"u8);

    /// <summary>True when the first 4 bytes are a RIFF container's: RIFF, or RF64/BW64 (EBU Tech 3306, 64-bit sizes).</summary>
    public static bool IsRiffMagic(ReadOnlySpan<byte> head) =>
        head.Length >= 4 && (head[..4].SequenceEqual("RIFF"u8) || IsRf64Magic(head));

    private static bool IsRf64Magic(ReadOnlySpan<byte> head) =>
        head.Length >= 4 && (head[..4].SequenceEqual("RF64"u8) || head[..4].SequenceEqual("BW64"u8));

    private async Task ReadHeaderAsync(CancellationToken ct)
    {
        bool rf64 = await ReadRiffHeaderAsync(ct).ConfigureAwait(false);
        long offset = 12;
        bool haveFmt = false;
        long? ds64DataSize = null; // RF64 (EBU Tech 3306): the 64-bit sizes are in the 'ds64' chunk
        var chunk = new byte[8];
        while (true)
        {
            int got = await ReadFullyAsync(chunk, ct).ConfigureAwait(false);
            if (got < 8)
                throw new AudioFormatException(Name, "AudioHeaderTruncated",
                    $"the WAV header is truncated: the file ends after {offset + got} bytes, before the 'data' chunk{(haveFmt ? "" : " and the 'fmt ' chunk")}.");
            offset += 8;
            string id = Ascii(chunk.AsSpan(0, 4));
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(chunk.AsSpan(4, 4));
            if (id == "fmt ")
            {
                offset += await ReadFmtChunkAsync(size, ct).ConfigureAwait(false);
                haveFmt = true;
            }
            else if (id == "ds64" && rf64)
            {
                (ds64DataSize, long read) = await ReadDs64ChunkAsync(size, ct).ConfigureAwait(false);
                offset += read;
            }
            else if (id == "data")
            {
                StartData(size, rf64, haveFmt, ds64DataSize);
                return;
            }
            else
                offset += await SkipChunkAsync(size, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Reads the 12-byte RIFF/RF64 header: the container's magic and the form <c>WAVE</c>.</summary>
    /// <returns>True for an RF64/BW64 file (64-bit sizes in a <c>ds64</c> chunk).</returns>
    /// <exception cref="AudioFormatException">AudioFileEmpty, AudioNotWav, AudioHeaderTruncated.</exception>
    private async Task<bool> ReadRiffHeaderAsync(CancellationToken ct)
    {
        var head = new byte[12];
        int got = await ReadFullyAsync(head, ct).ConfigureAwait(false);
        if (got == 0)
            throw new AudioFormatException(Name, "AudioFileEmpty", $"the file is empty (0 bytes); expected a WAV file ({Supported}).");
        bool rf64 = IsRf64Magic(head.AsSpan(0, got));
        if (got >= 4 && !IsRiffMagic(head.AsSpan(0, got)))
            throw new AudioFormatException(Name, "AudioNotWav",
                $"not a WAV file: it starts with {Describe(head.AsSpan(0, Math.Min(got, 8)))}; expected a RIFF/WAVE header ({Supported}). " +
                "For headerless audio declare its format (raw s16le, mulaw, …); for MP3, FLAC, Ogg and other containers use a decoder such as ffmpeg.");
        if (got < 12)
            throw new AudioFormatException(Name, "AudioHeaderTruncated", $"the WAV header is truncated: the file ends after {got} bytes.");
        if (!head.AsSpan(8, 4).SequenceEqual("WAVE"u8))
            throw new AudioFormatException(Name, "AudioNotWav",
                $"a RIFF file of form '{Ascii(head.AsSpan(8, 4))}', not 'WAVE'; expected a WAV file ({Supported}).");
        return rf64;
    }

    /// <summary>Reads the body of a <c>fmt </c> chunk of <paramref name="size"/> bytes and sets the format from it.</summary>
    /// <returns>The bytes read: the size and its pad byte.</returns>
    /// <exception cref="AudioFormatException">AudioHeaderInvalid (a size outside 16 to 4096 bytes, or what
    /// <see cref="ParseFmt"/> refuses), AudioHeaderTruncated.</exception>
    private async Task<long> ReadFmtChunkAsync(uint size, CancellationToken ct)
    {
        if (size < 16 || size > 4096)
            throw new AudioFormatException(Name, "AudioHeaderInvalid", $"the 'fmt ' chunk has size {size}; expected 16 to 4096 bytes.");
        var fmt = new byte[size + (size & 1)];
        int got = await ReadFullyAsync(fmt, ct).ConfigureAwait(false);
        if (got < size)
            throw new AudioFormatException(Name, "AudioHeaderTruncated",
                $"the WAV header is truncated: the 'fmt ' chunk declares {size} bytes but the file ends after {got}.");
        ParseFmt(fmt.AsSpan(0, (int)size));
        return fmt.Length;
    }

    /// <summary>Reads the body of an RF64 <c>ds64</c> chunk of <paramref name="size"/> bytes.</summary>
    /// <returns>The 64-bit data size it declares, and the bytes read (the size and its pad byte).</returns>
    /// <exception cref="AudioFormatException">AudioHeaderInvalid: under 24 bytes, or truncated.</exception>
    private async Task<(long DataSize, long Read)> ReadDs64ChunkAsync(uint size, CancellationToken ct)
    {
        var ds64 = new byte[size + (size & 1)];
        if (size < 24 || await ReadFullyAsync(ds64, ct).ConfigureAwait(false) < size)
            throw new AudioFormatException(Name, "AudioHeaderInvalid", $"the RF64 'ds64' chunk is {size} bytes or truncated; expected at least 24.");
        return ((long)Math.Min(long.MaxValue, BinaryPrimitives.ReadUInt64LittleEndian(ds64.AsSpan(8, 8))), ds64.Length);
    }

    /// <summary>Takes the <c>data</c> chunk's header: the stream now stands at its first sample, and its length is the
    /// declared size, the <c>ds64</c> one, or (for a streaming size) what remains of the file.</summary>
    /// <exception cref="AudioFormatException">AudioHeaderInvalid (no <c>fmt </c> before it, an RF64 size without
    /// <c>ds64</c>), AudioDataTruncated, AudioEmpty.</exception>
    private void StartData(uint size, bool rf64, bool haveFmt, long? ds64DataSize)
    {
        if (!haveFmt)
            throw new AudioFormatException(Name, "AudioHeaderInvalid", "the 'data' chunk comes before any 'fmt ' chunk; the format is unknown.");
        if (rf64 && size == 0xFFFFFFFF && ds64DataSize is null)
            throw new AudioFormatException(Name, "AudioHeaderInvalid", "an RF64 file without a 'ds64' chunk before its data: the data size is unknown.");
        long? length = rf64 && size == 0xFFFFFFFF ? ds64DataSize : IsStreamingSize(size, Stream.CanSeek) ? null : size;
        long? available = Stream.CanSeek ? Stream.Length - Stream.Position : null;
        if (length is long declared && available is long avail && declared > avail)
            throw new AudioFormatException(Name, "AudioDataTruncated",
                $"the data is truncated: the 'data' chunk declares {declared} bytes ({Seconds(declared)} s) but only {avail} bytes ({Seconds(avail)} s) follow. " +
                "The file was probably cut short while being copied or recorded.");
        // Streaming size (0 or 0xFFFFFFFF): read to the real end of the file.
        SetDataLength(length ?? available);
        if ((length ?? available) is long n && n < Format.BlockAlign)
            throw new AudioFormatException(Name, "AudioEmpty", $"it holds no audio: its 'data' chunk is {n} bytes (0 samples).");
    }

    /// <summary>Skips a chunk that is not read (LIST, fact, …), with its pad byte: RIFF chunks are word-aligned.</summary>
    /// <returns>The bytes skipped.</returns>
    private async Task<long> SkipChunkAsync(uint size, CancellationToken ct)
    {
        long skip = size + (size & 1); // RIFF chunks are word-aligned: odd sizes carry a pad byte
        await SkipAsync(skip, ct).ConfigureAwait(false);
        return skip;
    }

    /// <summary>The smallest data size taken, on a pipe, for a recorder's placeholder rather than a length: sox writes
    /// 0x7FFFF000 and arecord about 0x7FFFFFFF when they cannot seek back to patch the header.</summary>
    public const uint PipePlaceholderSize = 0x7FFF0000;

    /// <summary>True when a 'data' chunk size means "to the end of the stream": 0 or 0xFFFFFFFF (streaming recorders,
    /// ffmpeg), and on a pipe also a size of <see cref="PipePlaceholderSize"/> or more (2 GiB less 64 KiB: no recording
    /// sent through a pipe is taken to declare that much; a truncated one of that size is read to its end unchecked).</summary>
    private static bool IsStreamingSize(uint size, bool seekable) => size is 0 or 0xFFFFFFFF || (!seekable && size >= PipePlaceholderSize);

    private string Seconds(long bytes) => (bytes / (double)Format.BytesPerSecond).ToString("0.00", System.Globalization.CultureInfo.CurrentCulture);

    private void ParseFmt(ReadOnlySpan<byte> f)
    {
        int tag = BinaryPrimitives.ReadUInt16LittleEndian(f);
        int channels = BinaryPrimitives.ReadUInt16LittleEndian(f[2..]);
        int rate = (int)Math.Min(int.MaxValue, BinaryPrimitives.ReadUInt32LittleEndian(f[4..]));
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(f[14..]);
        if (tag == 0xFFFE)
        {
            if (f.Length < 40)
                throw new AudioFormatException(Name, "AudioHeaderInvalid",
                    $"WAVE_FORMAT_EXTENSIBLE needs a 40-byte 'fmt ' chunk; this one has {f.Length} bytes.");
            tag = BinaryPrimitives.ReadUInt16LittleEndian(f[24..]); // first two bytes of the SubFormat GUID
        }
        FormatTag = tag;
        if (channels == 0 || channels > MaxChannels)
            throw new AudioFormatException(Name, "AudioChannelsInvalid", $"the header declares {channels} channels; expected 1 to {MaxChannels}.");
        if (rate < MinSampleRate || rate > MaxSampleRate)
            throw new AudioFormatException(Name, "AudioSampleRateInvalid",
                $"the header declares a sample rate of {rate} Hz; expected {MinSampleRate} to {MaxSampleRate} Hz (speech is recorded at 8000 Hz or more).");
        SampleEncoding? enc = (tag, bits) switch
        {
            (1, 8) => SampleEncoding.PcmU8,
            (1, 16) => SampleEncoding.PcmS16,
            (1, 24) => SampleEncoding.PcmS24,
            (1, 32) => SampleEncoding.PcmS32,
            (3, 32) => SampleEncoding.Float32,
            (3, 64) => SampleEncoding.Float64,
            (6, 8) => SampleEncoding.ALaw,
            (7, 8) => SampleEncoding.MuLaw,
            _ => null,
        };
        if (enc is null)
        {
            string what = tag is 1 or 3 or 6 or 7 ? $"{CodecName(tag)} with {bits} bits per sample" : $"codec tag 0x{tag:X4} ({CodecName(tag)})";
            throw new AudioFormatException(Name, "AudioCodecUnsupported",
                $"unsupported WAV encoding: {what}; {Supported}. Convert it first, e.g. 'ffmpeg -i IN -ar 16000 -ac 1 OUT.wav'.");
        }
        Format = new AudioFormat(enc.Value, rate, channels);
    }

    private static string CodecName(int tag) => tag switch
    {
        1 => "PCM",
        2 => "Microsoft ADPCM",
        3 => "IEEE float",
        6 => "A-law",
        7 => "mu-law",
        0x11 => "IMA ADPCM",
        0x31 => "GSM 6.10",
        0x50 => "MPEG",
        0x55 => "MPEG Layer 3",
        0xFF => "AAC",
        0x2000 => "AC-3",
        0xF1AC => "FLAC",
        _ => "unknown",
    };

    private async Task<int> ReadFullyAsync(Memory<byte> buf, CancellationToken ct)
    {
        int have = 0;
        while (have < buf.Length)
        {
            // A local file reads synchronously (it is unbuffered: an asynchronous read would be a thread-pool hop for
            // each of the header's small reads, thousands at once when many sessions open together).
            int n = Stream is FileStream { IsAsync: false }
                ? Stream.Read(buf.Span[have..])
                : await Stream.ReadAsync(buf[have..], ct).ConfigureAwait(false);
            if (n == 0) break;
            have += n;
        }
        return have;
    }

    private async Task SkipAsync(long count, CancellationToken ct)
    {
        if (Stream.CanSeek)
        {
            Stream.Seek(Math.Min(count, Stream.Length - Stream.Position), SeekOrigin.Current);
            return;
        }
        var buf = new byte[Math.Min(count, 8192)];
        while (count > 0)
        {
            int n = await Stream.ReadAsync(buf.AsMemory(0, (int)Math.Min(count, buf.Length)), ct).ConfigureAwait(false);
            if (n == 0) return;
            count -= n;
        }
    }

    private static string Ascii(ReadOnlySpan<byte> b)
    {
        var sb = new StringBuilder(b.Length);
        foreach (var c in b) sb.Append(c is >= 0x20 and < 0x7F ? (char)c : '.');
        return sb.ToString();
    }

    private static string Describe(ReadOnlySpan<byte> b) =>
        $"bytes {Convert.ToHexString(b.ToArray()).ToLowerInvariant()} ('{Ascii(b)}')";
}
