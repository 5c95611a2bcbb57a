using System.Management.Automation;
using SpeechStream.Engine;
using SpeechStream.Engine.Audio.Capture;

namespace SpeechStream.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Lists the audio devices Invoke-AsrMicrophone can capture from (Windows, WASAPI).</para>
/// <para type="description">Writes one AudioDeviceInfo per active WASAPI endpoint: its Name (what -Device takes, whole
/// or a part that names one device), its Kind (Microphone, or Output: captured with -Loopback, what the computer plays
/// through it), whether it IsDefault for its kind, and its endpoint Id. Off Windows there is no WASAPI: the cmdlet
/// writes nothing and a warning saying which capture tool Invoke-AsrMicrophone uses instead and how to list that
/// tool's devices.</para>
/// <para type="notes">Errors: CaptureBackendUnavailable (terminating) when Windows audio cannot be reached (the Windows
/// Audio service is stopped). A -Name that matches nothing writes nothing.</para>
/// </summary>
/// <example>
/// <code>Get-AsrAudioDevice</code>
/// <para>Every microphone and output, the defaults marked.</para>
/// </example>
/// <example>
/// <code>Get-AsrAudioDevice -Kind Microphone | Where-Object IsDefault | Select-Object -ExpandProperty Name</code>
/// <para>The name of the default microphone.</para>
/// </example>
/// <example>
/// <code>Invoke-AsrMicrophone -Device (Get-AsrAudioDevice *Headset* -Kind Microphone).Name -Duration 30</code>
/// <para>Transcribes the headset's microphone for 30 seconds.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "AsrAudioDevice", HelpUri = HelpLinks.Online)]
[OutputType(typeof(AudioDeviceInfo))]
public sealed class GetAsrAudioDeviceCommand : AsrCmdletBase
{
    /// <summary>Device names; wildcards allowed. Every device when absent.</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    public string[]? Name { get; set; }

    /// <summary>Microphone, or Output (devices captured with Invoke-AsrMicrophone -Loopback). Both when absent.</summary>
    [Parameter]
    [ValidateSet("Microphone", "Output", IgnoreCase = true)]
    public string? Kind { get; set; }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        var backend = CaptureBackends.ForThisPlatform();
        if (backend is null)
        {
            WriteWarning(CaptureBackends.ElsewhereNote());
            return;
        }
        IReadOnlyList<AudioDeviceInfo> devices;
        try { devices = backend.ListDevices(); }
        catch (AsrException e) { ThrowTerminatingError(ToErrorRecord(e, backend.Name)); return; }
        var patterns = (Name ?? new[] { "*" }).Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
        var kind = Kind is null ? (AudioDeviceKind?)null : Enum.Parse<AudioDeviceKind>(Kind, ignoreCase: true);
        foreach (var d in devices)
            if ((kind is null || d.Kind == kind) && patterns.Any(p => p.IsMatch(d.Name))) WriteObject(d);
    }
}
