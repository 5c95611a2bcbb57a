using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace SpeechStream.PowerShell;

/// <summary>
/// Completes <c>-Device</c> of Invoke-AsrMicrophone with the WASAPI device names: the microphones, or the outputs when
/// <c>-Loopback</c> is typed. Off Windows, and when Windows audio cannot be reached, it offers nothing (the capture
/// tools' device names are not listed).
/// </summary>
public sealed class AudioDeviceCompleter : IArgumentCompleter
{
    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var backend = Engine.Audio.Capture.CaptureBackends.ForThisPlatform();
        if (backend is null) return Array.Empty<CompletionResult>();
        var kind = fakeBoundParameters["Loopback"] is SwitchParameter { IsPresent: true } or true
            ? Engine.Audio.Capture.AudioDeviceKind.Output : Engine.Audio.Capture.AudioDeviceKind.Microphone;
        try
        {
            return Completion.Matching(backend.ListDevices().Where(d => d.Kind == kind).Select(d => d.Name), wordToComplete, kind.ToString());
        }
        catch (Engine.AsrException) { return Array.Empty<CompletionResult>(); }
    }
}
