using System.Collections.Concurrent;
using SpeechStream.Engine.Sessions;

namespace SpeechStream.Engine.Hosting;

/// <summary>
/// The open sessions of each PowerShell runspace (keyed by the runspace's instance id), so ThreadJob and
/// <c>ForEach-Object -Parallel</c> do not share them. A session may carry a companion (the emulator started
/// by <c>-Emulate</c>) that is disposed with it.
/// </summary>
public static class SessionRegistry
{
    private static readonly ConcurrentDictionary<Guid, ConcurrentDictionary<string, (AsrSession Session, IAsyncDisposable? Companion)>> ByRunspace = new();

    /// <summary>Registers <paramref name="session"/> in <paramref name="runspace"/>, with the <paramref name="companion"/> to
    /// dispose with it (the emulator of <c>-Emulate</c>). A session already registered is left as it is.</summary>
    public static void Add(Guid runspace, AsrSession session, IAsyncDisposable? companion = null) =>
        ByRunspace.GetOrAdd(runspace, _ => new()).TryAdd(session.Id, (session, companion));

    /// <summary>A snapshot of the runspace's sessions, oldest first.</summary>
    public static AsrSession[] List(Guid runspace) =>
        ByRunspace.TryGetValue(runspace, out var d) ? d.Values.Select(v => v.Session).OrderBy(s => s.StartedAt).ToArray() : Array.Empty<AsrSession>();

    /// <summary>The companion a session was added with (the emulator of <c>-Emulate</c>), or null.</summary>
    public static IAsyncDisposable? CompanionOf(Guid runspace, AsrSession session) =>
        ByRunspace.TryGetValue(runspace, out var d) && d.TryGetValue(session.Id, out var v) ? v.Companion : null;

    /// <summary>The runspace's session with <paramref name="id"/>, or null.</summary>
    public static AsrSession? Find(Guid runspace, string id) =>
        ByRunspace.TryGetValue(runspace, out var d) && d.TryGetValue(id, out var v) ? v.Session : null;

    /// <summary>Closes and forgets a session. Idempotent: a second call, or an unknown id, does nothing.</summary>
    public static async Task RemoveAsync(Guid runspace, AsrSession session)
    {
        await session.DisposeAsync().ConfigureAwait(false);
        if (ByRunspace.TryGetValue(runspace, out var d) && d.TryRemove(session.Id, out var v) && v.Companion is not null)
            await v.Companion.DisposeAsync().ConfigureAwait(false);
    }
}
