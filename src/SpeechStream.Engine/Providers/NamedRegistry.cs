namespace SpeechStream.Engine.Providers;

/// <summary>
/// A list of entries named case-insensitively, read without a lock and changed rarely under one (copy on write): the
/// built-in entries, in order, then those registered until their handle is disposed (the tests' stub provider). Both
/// the provider registry and the emulator registry keep their entries in one.
/// </summary>
/// <typeparam name="T">The entry: a protocol, an emulator registration.</typeparam>
internal sealed class NamedRegistry<T> where T : class
{
    private readonly object _gate = new();
    private readonly Func<T, string> _nameOf;
    private readonly Func<string, string> _alreadyRegistered;
    private T[] _entries;

    /// <param name="builtIn">The entries there always are, in the order every list shows them.</param>
    /// <param name="nameOf">The entry's name.</param>
    /// <param name="alreadyRegistered">The message for registering a name that is there already, given the name.</param>
    public NamedRegistry(IEnumerable<T> builtIn, Func<T, string> nameOf, Func<string, string> alreadyRegistered)
    {
        _entries = builtIn.ToArray();
        _nameOf = nameOf;
        _alreadyRegistered = alreadyRegistered;
    }

    /// <summary>Every entry, built-in ones first, in a stable order.</summary>
    public IReadOnlyList<T> All => Volatile.Read(ref _entries);

    /// <summary>The entry named <paramref name="name"/> (case-insensitive, trimmed), or null.</summary>
    public T? Find(string? name) => All.FirstOrDefault(e => _nameOf(e).Equals(name?.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>Adds <paramref name="entry"/> after the others until the returned handle is disposed.</summary>
    /// <exception cref="ArgumentException">An entry of that name is registered already.</exception>
    public IDisposable Register(T entry)
    {
        lock (_gate)
        {
            if (Find(_nameOf(entry)) is not null) throw new ArgumentException(_alreadyRegistered(_nameOf(entry)), nameof(entry));
            Volatile.Write(ref _entries, [.. _entries, entry]);
        }
        return new Handle(this, entry);
    }

    private void Remove(T entry)
    {
        lock (_gate) Volatile.Write(ref _entries, _entries.Where(e => !ReferenceEquals(e, entry)).ToArray());
    }

    private sealed class Handle(NamedRegistry<T> registry, T entry) : IDisposable
    {
        public void Dispose() => registry.Remove(entry);
    }
}
