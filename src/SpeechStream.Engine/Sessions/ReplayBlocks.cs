using SpeechStream.Engine.Audio;

namespace SpeechStream.Engine.Sessions;

/// <summary>
/// The process's spare blocks for packed replay audio (<see cref="ReplayStore"/>), shared by every session: a block one
/// session let go (a final covered its audio) carries another's next chunks. Blocks are on the pinned object heap:
/// they live for seconds (until a final covers their audio), and there the GC never copies them from generation to
/// generation (with 1,000 sessions, that copying paused the process for hundreds of milliseconds). The pool keeps no
/// more spare blocks than are in use (and at least <see cref="MinSpare"/>), so it shrinks with the load; a block beyond
/// that goes to the GC.
/// </summary>
internal static class ReplayBlocks
{
    /// <summary>Bytes per block: about two 100 ms chunks of packed 16 kHz speech (≈ 1.9 KB each).</summary>
    public const int Size = 4096;

    /// <summary>Spare blocks always kept (4 MB).</summary>
    public const int MinSpare = 1024;

    private static readonly Stack<byte[]> Spare = new();
    private static int _inUse;

    /// <summary>Blocks handed out and not returned (for tests and measurements).</summary>
    public static int InUse => Volatile.Read(ref _inUse);

    public static byte[] Rent()
    {
        lock (Spare)
        {
            _inUse++;
            if (Spare.TryPop(out var block)) return block;
        }
        return GC.AllocateUninitializedArray<byte>(Size, pinned: true);
    }

    public static void Return(byte[] block)
    {
        lock (Spare)
        {
            _inUse--;
            if (Spare.Count < Math.Max(MinSpare, _inUse)) Spare.Push(block);
        }
    }
}
