namespace SpeechStream.Engine.Audio.Capture;

/// <summary>
/// Picks the capture device a user named among those the audio system lists: the exact name or endpoint id
/// (case-insensitive), else the one device whose name contains it (<c>USB</c> for <c>Microphone (USB Audio
/// Device)</c>). No name means the default device, followed when the user changes it.
/// </summary>
internal static class DeviceSelector
{
    /// <summary>What lists the devices, for the errors (CLI and PowerShell).</summary>
    public const string ListHint = "List them with: speechstream listen --list-devices (PowerShell: Get-AsrAudioDevice).";

    /// <param name="devices">What <see cref="IAudioCaptureBackend.ListDevices"/> returned.</param>
    /// <param name="name">The user's <c>--device</c>/<c>-Device</c>; null or blank: the default device.</param>
    /// <param name="kind">Microphone, or Output for loopback capture.</param>
    /// <param name="backend">The audio system's name (WASAPI), for messages.</param>
    /// <returns>The device, or null for the default device of <paramref name="kind"/>.</returns>
    /// <exception cref="AsrException">InvalidInput: <c>CaptureDeviceNotFound</c> naming the device and listing the
    /// available ones (or saying there are none); <c>CaptureDeviceAmbiguous</c> listing the names that match;
    /// <c>CaptureDeviceWrongKind</c> for an output named without loopback, or a microphone with it.</exception>
    public static AudioDeviceInfo? Select(IReadOnlyList<AudioDeviceInfo> devices, string? name, AudioDeviceKind kind, string backend)
    {
        var ofKind = devices.Where(d => d.Kind == kind).ToList();
        if (ofKind.Count == 0)
            throw new AsrException(AsrErrorKind.InvalidInput, "CaptureDeviceNotFound",
                $"{backend} lists no active {Noun(kind)}{(name is { Length: > 0 } ? $", so none is named '{name}'" : "")}: " +
                (kind == AudioDeviceKind.Microphone ? "plug one in, or enable it in Windows' Sound settings (Recording)." : "enable one in Windows' Sound settings (Playback)."));
        if (string.IsNullOrWhiteSpace(name)) return null;
        string wanted = name.Trim();
        var exact = ofKind.Where(d => d.Name.Equals(wanted, StringComparison.OrdinalIgnoreCase) || d.Id.Equals(wanted, StringComparison.OrdinalIgnoreCase)).ToList();
        if (exact.Count == 1) return exact[0];
        var matches = exact.Count > 1 ? exact : ofKind.Where(d => d.Name.Contains(wanted, StringComparison.OrdinalIgnoreCase)).ToList();
        if (matches.Count == 1) return matches[0];
        if (matches.Count > 1)
            throw new AsrException(AsrErrorKind.InvalidInput, "CaptureDeviceAmbiguous",
                $"'{wanted}' matches {matches.Count} {backend} {Noun(kind)}s: {Names(matches, withId: exact.Count > 1)}. Give the whole name{(exact.Count > 1 ? " or the endpoint id" : "")}.");
        var other = devices.FirstOrDefault(d => d.Kind != kind && d.Name.Contains(wanted, StringComparison.OrdinalIgnoreCase));
        if (other is not null)
            throw new AsrException(AsrErrorKind.InvalidInput, "CaptureDeviceWrongKind", other.Kind == AudioDeviceKind.Output
                ? $"'{other.Name}' is an output device: add --loopback (PowerShell: -Loopback) to capture what it plays, or name a microphone: {Names(ofKind)}."
                : $"'{other.Name}' is a microphone; loopback captures an output device: drop --loopback (-Loopback), or name an output: {Names(ofKind)}.");
        throw new AsrException(AsrErrorKind.InvalidInput, "CaptureDeviceNotFound",
            $"No {backend} {Noun(kind)} is named '{wanted}'. Available: {Names(ofKind)}. {ListHint}");
    }

    private static string Noun(AudioDeviceKind kind) => kind == AudioDeviceKind.Microphone ? "microphone" : "output device";

    private static string Names(IEnumerable<AudioDeviceInfo> devices, bool withId = false) =>
        string.Join(", ", devices.Select(d => $"'{d.Name}'{(d.IsDefault ? " (default)" : "")}{(withId ? $" [{d.Id}]" : "")}"));
}
