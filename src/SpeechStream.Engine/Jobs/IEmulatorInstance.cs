using SpeechStream.Engine.Diagnostics;

namespace SpeechStream.Engine.Jobs;

/// <summary>A running stand-in for a provider (the built-in emulator): where to connect and with which key.</summary>
public interface IEmulatorInstance : IAsyncDisposable
{
    /// <summary>The loopback WebSocket URL to connect to.</summary>
    Uri Endpoint { get; }
    /// <summary>The key the emulator accepts.</summary>
    Secret ApiKey { get; }
    /// <summary>Protocol violations it saw from our client, one line each.</summary>
    IReadOnlyCollection<string> Violations { get; }
}
