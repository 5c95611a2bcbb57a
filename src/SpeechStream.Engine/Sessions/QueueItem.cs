namespace SpeechStream.Engine.Sessions;

/// <summary>What travels through the outbound queue, in order.</summary>
internal abstract record QueueItem
{
    /// <summary>PCM s16le mono at the session's rate: <paramref name="Length"/> bytes of <paramref name="Data"/>, a
    /// private copy of the caller's buffer in an array rented from the shared pool (the writer gives it back once sent).</summary>
    public sealed record Audio(byte[] Data, int Length) : QueueItem
    {
        public ReadOnlyMemory<byte> Pcm => Data.AsMemory(0, Length);
    }

    /// <summary>The caller's end of stream: behind every chunk queued before it, so it can never overtake audio
    /// (deepgram-dotnet-sdk #341).</summary>
    public sealed record End : QueueItem;

    /// <summary>The caller has sent nothing for the idle keepalive period: the writer sends 100 ms of silence.</summary>
    public sealed record KeepAlive : QueueItem;

    /// <summary>Connection <paramref name="Generation"/>'s credential is about to expire: finish it and reconnect.</summary>
    public sealed record Renew(int Generation) : QueueItem;

    /// <summary>Wakes the writer to look again whether its connection has ended; otherwise ignored (one left in the
    /// queue is skipped by the next connection's writer).</summary>
    public sealed record Wake : QueueItem;

    public static readonly End EndItem = new();
    public static readonly KeepAlive KeepAliveItem = new();
    public static readonly Wake WakeItem = new();
}
