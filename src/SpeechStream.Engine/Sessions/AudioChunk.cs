namespace SpeechStream.Engine.Sessions;

/// <summary>A chunk of PCM s16le mono kept for replay: its place on the file's timeline, in seconds, and where its
/// packed bytes are in the session's <see cref="ReplayStore"/>. Read it back with <see cref="AudioLedger.Read"/>.</summary>
internal sealed class AudioChunk(long packedAt, int packedLength, int length, double start, double end)
{
    /// <summary>Offset of the packed bytes in the store.</summary>
    public long PackedAt { get; } = packedAt;
    /// <summary>Bytes of packed audio in the store.</summary>
    public int PackedLength { get; } = packedLength;
    /// <summary>Bytes of PCM.</summary>
    public int Length { get; } = length;
    /// <summary>File time (s) of its first sample.</summary>
    public double Start { get; } = start;
    /// <summary>File time (s) just after its last sample.</summary>
    public double End { get; } = end;
    /// <summary>Its length in seconds.</summary>
    public double Seconds => End - Start;
    /// <summary>Replays sending this chunk now; its packed bytes are kept until they are done.</summary>
    public int Leases;
}
