namespace SpeechStream.Emulator;

/// <summary>What one provider emulator does with a connection.</summary>
public abstract class ProviderEmulator
{
    /// <summary>The provider name (as in the registry).</summary>
    public abstract string Provider { get; }

    /// <summary>The path clients connect to, e.g. <c>/ws</c>.</summary>
    public abstract string WebSocketPath { get; }

    /// <summary>Handles one HTTP request (plain or upgrade). The stream is the raw connection.</summary>
    public abstract Task HandleAsync(EmulatorServer server, HttpRequestHead request, Stream stream, CancellationToken ct);

    /// <summary>Further services the emulator answers beside <see cref="WebSocketPath"/>, each with what it is and its
    /// path, for <c>speechstream emulate</c> to announce (VoxNexus's TTS). Default: none.</summary>
    public virtual IReadOnlyList<(string What, string Path)> OtherEndpoints => [];

    /// <summary>Replays <paramref name="script"/> when nothing was replayed yet; false when it cannot (the default).</summary>
    public virtual bool TryUseScript(EmulatorServer server, TranscriptScript script) => false;
}
