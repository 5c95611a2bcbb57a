using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using SpeechStream.Engine.Providers;
using SpeechStream.Engine.Providers.VoxNexus;

namespace SpeechStream.PowerShell;

/// <summary>Shared pieces of the argument completers: matching, quoting, and the providers already typed.</summary>
internal static class Completion
{
    /// <summary>The values starting with <paramref name="word"/> (case-insensitive), quoted where PowerShell needs it.</summary>
    public static IEnumerable<CompletionResult> Matching(IEnumerable<string> values, string? word, string? tooltip = null)
    {
        string typed = (word ?? "").Trim('\'', '"');
        return values.Where(v => v.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
            .Select(v => new CompletionResult(Quote(v), v, CompletionResultType.ParameterValue, tooltip ?? v));
    }

    private static string Quote(string v) =>
        v.IndexOfAny(new[] { ' ', '\'', '"', '$', '`', ';', ',', '(', ')', '{', '}', '@', '#' }) >= 0 ? $"'{v.Replace("'", "''")}'" : v;

    private static readonly HashSet<string> DefaultProviderCommands = new(StringComparer.OrdinalIgnoreCase)
        { "Invoke-AsrFile", "Invoke-AsrMicrophone", "Connect-AsrSession" };

    /// <summary>The -Provider value already typed (a name or several); when none, the provider the command will use:
    /// <see cref="ProviderRegistry.DefaultProvider"/>, or VoxNexus for ConvertTo-Speech, which has no -Provider. Null
    /// for a command without a provider (every provider counts).</summary>
    public static IEnumerable<string>? BoundProviders(string commandName, IDictionary fakeBoundParameters)
    {
        if (commandName.Equals("ConvertTo-Speech", StringComparison.OrdinalIgnoreCase)) return new[] { "VoxNexus" };
        return fakeBoundParameters["Provider"] switch
        {
            string s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            IEnumerable e => e.Cast<object?>().Select(x => x?.ToString() ?? ""),
            _ => DefaultProviderCommands.Contains(commandName) ? new[] { ProviderRegistry.DefaultProvider } : null,
        };
    }
}

/// <summary>Completes <c>-Provider</c> with the provider names.</summary>
public sealed class ProviderNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) => Completion.Matching(ProviderRegistry.Names, wordToComplete);
}

/// <summary>Completes a parameter with values that depend on the provider(s) typed (<see cref="Completion.BoundProviders"/>).</summary>
public abstract class ProviderValuesCompleter : IArgumentCompleter
{
    /// <summary>The values for these providers (null: every provider).</summary>
    protected abstract IEnumerable<string> ValuesFor(IEnumerable<string>? providers);

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completion.Matching(ValuesFor(Completion.BoundProviders(commandName, fakeBoundParameters)), wordToComplete);
}

/// <summary>Completes <c>-Language</c> with the languages of the provider(s) typed.</summary>
public sealed class LanguageCompleter : ProviderValuesCompleter
{
    protected override IEnumerable<string> ValuesFor(IEnumerable<string>? providers) => ProviderRegistry.LanguagesFor(providers);
}

/// <summary>Completes <c>-Environment</c> with the named endpoints of the provider(s) typed.</summary>
public sealed class EnvironmentCompleter : ProviderValuesCompleter
{
    protected override IEnumerable<string> ValuesFor(IEnumerable<string>? providers) => ProviderRegistry.EnvironmentsFor(providers);
}

/// <summary>Completes <c>-Model</c> with the model ids the documents of the provider(s) typed name.</summary>
public sealed class ModelCompleter : ProviderValuesCompleter
{
    protected override IEnumerable<string> ValuesFor(IEnumerable<string>? providers) => ProviderRegistry.ModelsFor(providers);
}

/// <summary>Completes <c>-AuthMode</c> with the auth modes of the provider(s) typed (VoxNexus for ConvertTo-Speech).</summary>
public sealed class AuthModeCompleter : ProviderValuesCompleter
{
    protected override IEnumerable<string> ValuesFor(IEnumerable<string>? providers) => ProviderRegistry.AuthModesFor(providers);
}

/// <summary>Completes <c>-Speed</c> of the file cmdlets: real time, a few multiples, and max.</summary>
public sealed class SpeedCompleter : IArgumentCompleter
{
    private static readonly string[] Speeds = { "1", "2", "4", "8", "max" };

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completion.Matching(Speeds, wordToComplete, "1 = real time; 2, 4, 8 … times faster; max = unpaced");
}

/// <summary>Completes <c>-Voice</c> of ConvertTo-Speech with the voices the VoxNexus document names.</summary>
public sealed class VoiceCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) => Completion.Matching(VoxNexusSpeechSynthesizer.DocumentedVoices, wordToComplete);
}

/// <summary>
/// Completes <c>-ProviderOption</c> as <c>key=value</c> strings (the parameter takes those as well as a hashtable):
/// the keys of the provider(s) typed, then, after <c>key=</c>, the values of an enum option. PowerShell does not hand
/// hashtable keys to argument completers, so <c>@{ … }</c> gets no completion.
/// </summary>
public sealed class ProviderOptionCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var options = ProviderRegistry.OptionsFor(Completion.BoundProviders(commandName, fakeBoundParameters));
        string typed = (wordToComplete ?? "").Trim('\'', '"');
        int eq = typed.IndexOf('=');
        if (eq < 0)
            return options.Where(o => o.Name.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                .Select(o => new CompletionResult(o.Name + "=", o.Name, CompletionResultType.ParameterValue, o.Description));
        var option = options.FirstOrDefault(o => o.Name.Equals(typed[..eq], StringComparison.OrdinalIgnoreCase));
        var values = option?.Allowed ?? (option?.Kind == "bool" ? new[] { "true", "false" } : Array.Empty<string>());
        return values.Where(v => v.StartsWith(typed[(eq + 1)..], StringComparison.OrdinalIgnoreCase))
            .Select(v => new CompletionResult($"{option!.Name}={v}", v, CompletionResultType.ParameterValue, option.Description));
    }
}

/// <summary>Completes <c>-EmulatorProfile</c> with the emulator's profiles that apply to the provider(s) typed.</summary>
public sealed class EmulatorProfileCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var providers = Completion.BoundProviders(commandName, fakeBoundParameters)?.ToList();
        var profiles = Emulator.EmulatorProfiles.All.Where(p => providers is null || providers.All(p.AppliesTo));
        return profiles.Where(p => p.Name.StartsWith((wordToComplete ?? "").Trim('\'', '"'), StringComparison.OrdinalIgnoreCase))
            .Select(p => new CompletionResult(p.Name, p.Name, CompletionResultType.ParameterValue, p.Description));
    }
}

/// <summary>
/// Completes <c>-Device</c> of Invoke-AsrMicrophone with the WASAPI device names: the microphones, or the outputs when
/// <c>-Loopback</c> is typed. Off Windows, and when Windows audio cannot be reached, it offers nothing (the capture
/// tools' device names are not listed).
/// </summary>
public sealed class AudioDeviceCompleter : IArgumentCompleter
{
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
