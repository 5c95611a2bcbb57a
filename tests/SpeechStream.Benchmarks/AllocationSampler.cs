using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

/// <summary>
/// Which types the process allocates, from the runtime's own sampling (SS_ALLOC=1 with --load): the GC raises
/// GCAllocationTick about every 100 KB allocated on a heap, naming the type whose allocation crossed the mark, so the
/// ticks per type are proportional to its bytes (Microsoft Docs, "Garbage collection events", GCAllocationTick_V4).
/// </summary>
public sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly ConcurrentDictionary<string, long> _bytes = new();
    private long _total;

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, GcKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName is not { } name || !name.StartsWith("GCAllocationTick", StringComparison.Ordinal) || e.Payload is null) return;
        int at = e.PayloadNames!.IndexOf("TypeName"), amount = e.PayloadNames.IndexOf("AllocationAmount64");
        string type = at >= 0 ? e.Payload[at] as string ?? "?" : "?";
        long bytes = amount >= 0 ? Convert.ToInt64(e.Payload[amount]) : 100_000;
        _bytes.AddOrUpdate(type, bytes, (_, b) => b + bytes);
        Interlocked.Add(ref _total, bytes);
    }

    /// <summary>The top types by sampled bytes, per chunk sent.</summary>
    public void Print(long chunks, int top = 25)
    {
        Console.WriteLine($"sampled allocations ({Interlocked.Read(ref _total) / (double)chunks:0} bytes per chunk in all):");
        foreach (var (type, bytes) in _bytes.OrderByDescending(kv => kv.Value).Take(top).Select(kv => (kv.Key, kv.Value)))
            Console.WriteLine(FormattableString.Invariant($"  {bytes / (double)chunks,8:0} B/chunk  {type}"));
    }
}
