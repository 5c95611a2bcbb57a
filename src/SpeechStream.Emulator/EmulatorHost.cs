using SpeechStream.Engine.Diagnostics;
using SpeechStream.Engine.Jobs;

namespace SpeechStream.Emulator;

/// <summary>Starts emulators for <c>--emulate</c>/<c>-Emulate</c>: the script is the file's sidecar JSON
/// (<c>call.wav</c> → <c>call.json</c>) when there is one; <see cref="Profile"/> picks a server behaviour.</summary>
public sealed class EmulatorHost : IEmulatorHost
{
    /// <summary>The key clients send to an emulator.</summary>
    public const string ApiKey = "emulator-key";

    /// <summary>Profiles to apply (<see cref="EmulatorProfiles"/>, comma-separated); null: the default.</summary>
    public string? Profile { get; init; }

    /// <summary>A sidecar transcript to replay whatever the file (<c>listen --transcript</c>).</summary>
    public string? TranscriptPath { get; init; }

    /// <summary>Starts an emulator for <paramref name="provider"/> on a free port of 127.0.0.1, replaying
    /// <see cref="TranscriptPath"/> or the sidecar of <paramref name="audioPath"/> with <see cref="Profile"/> applied
    /// (<see cref="StartServer"/>), as the instance a job connects to; disposing it stops the server.</summary>
    /// <param name="provider">The provider's name, as in the engine's registry.</param>
    /// <param name="audioPath">The file about to be sent (its sidecar transcript is replayed), or null.</param>
    /// <exception cref="SpeechStream.Engine.AsrException">InvalidInput: no emulator for the provider, a profile unknown or
    /// not for it, or a sidecar that is not a transcript.</exception>
    public IEmulatorInstance Start(string provider, string? audioPath) => new Instance(StartServer(provider, audioPath));

    /// <summary>The sidecar transcript beside an audio file (<c>call.wav</c> → <c>call.json</c>), or null when there is none.</summary>
    public static string? SidecarOf(string audioPath)
    {
        var candidate = Path.ChangeExtension(audioPath, ".json");
        return File.Exists(candidate) ? candidate : null;
    }

    /// <summary>An emulator for <paramref name="provider"/> replaying <paramref name="audioPath"/>'s sidecar.</summary>
    public EmulatorServer StartServer(string provider, string? audioPath)
    {
        string? sidecar = TranscriptPath ?? (audioPath is null ? null : SidecarOf(audioPath));
        var options = new EmulatorOptions { Script = sidecar is null ? null : TranscriptScript.Load(sidecar) };
        return EmulatorServer.Start(provider, EmulatorProfiles.Apply(options, provider, Profile));
    }

    /// <summary>
    /// The host a front door asks for: null without <paramref name="emulate"/>, else a host with
    /// <paramref name="profile"/> checked against every provider before anything connects.
    /// </summary>
    /// <exception cref="SpeechStream.Engine.AsrException">InvalidInput: a profile without the emulator
    /// (EmulatorProfileWithoutEmulate), or a profile unknown or not for one of the providers.</exception>
    public static EmulatorHost? Create(bool emulate, string? profile, IEnumerable<string> providers)
    {
        if (!emulate)
            return profile is null ? null : throw new SpeechStream.Engine.AsrException(SpeechStream.Engine.AsrErrorKind.InvalidInput,
                "EmulatorProfileWithoutEmulate", "An emulator profile needs the emulator: add --emulate (-Emulate in PowerShell).");
        foreach (var p in providers) EmulatorProfiles.Apply(new EmulatorOptions(), p, profile);
        return new EmulatorHost { Profile = profile };
    }

    /// <summary>The default host, as a one-liner for callers that need one server.</summary>
    public static EmulatorServer StartForFile(string provider, string? audioPath, string? transcriptPath = null) =>
        new EmulatorHost { TranscriptPath = transcriptPath }.StartServer(provider, audioPath);

    private sealed class Instance(EmulatorServer server) : IEmulatorInstance
    {
        public Uri Endpoint => server.Endpoint;
        public Secret ApiKey { get; } = new(EmulatorHost.ApiKey);
        public IReadOnlyCollection<string> Violations => server.Violations.ToArray();
        public ValueTask DisposeAsync() => server.DisposeAsync();
    }
}
