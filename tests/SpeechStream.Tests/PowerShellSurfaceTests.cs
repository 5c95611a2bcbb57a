using Microsoft.Extensions.Logging;
using System.Reflection;
using System.Text.RegularExpressions;
using SpeechStream.Engine;
using SpeechStream.Engine.Hosting;
using SpeechStream.PowerShell;
using SpeechStream.PowerShell.Commands;

namespace SpeechStream.Tests;

/// <summary>Cmdlet metadata, read by reflection (PowerShellStandard's attribute classes are stubs, so the
/// values come from CustomAttributeData), and the manifest.</summary>
public class PowerShellSurfaceTests
{
    private static readonly Type[] Cmdlets = typeof(AsrCmdletBase).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && t.GetCustomAttributesData().Any(a => a.AttributeType.Name == "CmdletAttribute")).ToArray();

    private static string CmdletName(Type t)
    {
        var a = t.GetCustomAttributesData().Single(a => a.AttributeType.Name == "CmdletAttribute");
        return $"{a.ConstructorArguments[0].Value}-{a.ConstructorArguments[1].Value}";
    }

    private static CustomAttributeData? Attr(MemberInfo m, string name, Func<CustomAttributeData, bool>? where = null) =>
        m.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.Name == name && (where?.Invoke(a) ?? true));

    private static object? Named(CustomAttributeData a, string name) =>
        a.NamedArguments.FirstOrDefault(n => n.MemberName == name).TypedValue.Value;

    private static IEnumerable<CustomAttributeData> Parameters(Type t, string property) =>
        t.GetProperty(property)!.GetCustomAttributesData().Where(a => a.AttributeType.Name == "ParameterAttribute");

    [Fact]
    public void The_cmdlets_are_the_expected_ones_with_approved_verbs_and_the_Asr_prefix()
    {
        var names = Cmdlets.Select(CmdletName).OrderBy(n => n).ToArray();
        // ConvertTo-Speech is the one name without the Asr prefix: speech synthesis is not recognition, and
        // README.md ("PowerShell") names the cmdlet so.
        Assert.Equal(new[] { "Connect-AsrSession", "ConvertTo-AsrSubtitle", "ConvertTo-Speech", "Disconnect-AsrSession", "Get-AsrAudioDevice", "Get-AsrProvider", "Get-AsrSession", "Invoke-AsrFile", "Invoke-AsrMicrophone", "Receive-AsrTranscript", "Send-AsrAudio" }, names);
        foreach (var t in Cmdlets)
        {
            Assert.Equal(CmdletName(t).Replace("-", "") + "Command", t.Name);
            Assert.Equal("SpeechStream.PowerShell.Commands", t.Namespace);
            Assert.NotNull(Attr(t, "OutputTypeAttribute"));
        }
    }

    [Fact]
    public void Manifest_exports_exactly_the_cmdlet_classes_and_nothing_else()
    {
        var psd1 = File.ReadAllText(Fixtures.RepoFile("SpeechStream.psd1"));
        var block = Regex.Match(psd1, @"CmdletsToExport\s*=\s*@\(([^)]*)\)").Groups[1].Value;
        var exported = Regex.Matches(block, @"'([^']+)'").Select(m => m.Groups[1].Value).ToArray();
        Assert.Equal(exported.Distinct().Count(), exported.Length);
        Assert.Equal(Cmdlets.Select(CmdletName).OrderBy(n => n), exported.OrderBy(n => n));
        foreach (var key in new[] { "FunctionsToExport", "VariablesToExport", "AliasesToExport" })
            Assert.Matches(key + @"\s*=\s*@\(\)", psd1);
        Assert.Contains("RootModule           = 'SpeechStream.psm1'", psd1);
        var version = Regex.Match(File.ReadAllText(Fixtures.RepoFile("Directory.Build.props")), "<VersionPrefix>(.*)</VersionPrefix>").Groups[1].Value;
        Assert.Contains($"ModuleVersion        = '{version}'", psd1);
    }

    [Fact]
    public void Invoke_AsrFile_binds_paths_from_the_pipeline()
    {
        var t = typeof(InvokeAsrFileCommand);
        var path = Assert.Single(Parameters(t, "Path"));
        Assert.Equal(true, Named(path, "ValueFromPipeline"));
        Assert.Equal(true, Named(path, "ValueFromPipelineByPropertyName"));
        Assert.NotNull(Attr(t.GetProperty("Path")!, "SupportsWildcardsAttribute"));
        var literal = Assert.Single(Parameters(t, "LiteralPath"));
        Assert.Equal(true, Named(literal, "ValueFromPipelineByPropertyName"));
        var alias = Attr(t.GetProperty("LiteralPath")!, "AliasAttribute")!;
        var aliases = ((IEnumerable<CustomAttributeTypedArgument>)alias.ConstructorArguments[0].Value!).Select(a => (string)a.Value!);
        Assert.Contains("PSPath", aliases);
        Assert.Equal(typeof(string[]), t.GetProperty("LiteralPath")!.PropertyType);
        Assert.Equal(typeof(System.Security.SecureString), t.GetProperty("ApiKey")!.PropertyType);
        foreach (var p in new[] { "Provider", "Language", "IncludePartial", "Speed", "Endpoint", "Emulate" })
            Assert.NotEmpty(Parameters(t, p));
        var output = Attr(t, "OutputTypeAttribute")!;
        var types = ((IEnumerable<CustomAttributeTypedArgument>)output.ConstructorArguments[0].Value!).Select(a => (Type)a.Value!);
        Assert.Contains(typeof(Engine.Transcripts.Transcript), types);
    }

    [Fact]
    public void Session_cmdlets_take_the_documented_parameters()
    {
        foreach (var p in new[] { "Provider", "Language", "ApiKey", "Environment", "Endpoint", "SampleRate" })
            Assert.NotEmpty(Parameters(typeof(ConnectAsrSessionCommand), p));
        foreach (var p in new[] { "Session", "Path", "LiteralPath", "InputObject", "EndOfStream" })
            Assert.NotEmpty(Parameters(typeof(SendAsrAudioCommand), p));
        Assert.Equal(true, Named(Parameters(typeof(SendAsrAudioCommand), "InputObject").Single(), "ValueFromPipeline"));
        Assert.Equal(typeof(byte[]), typeof(SendAsrAudioCommand).GetProperty("InputObject")!.PropertyType);
        foreach (var p in new[] { "Session", "Wait", "Timeout", "IncludePartial" })
            Assert.NotEmpty(Parameters(typeof(ReceiveAsrTranscriptCommand), p));
        Assert.Equal(true, Named(Parameters(typeof(DisconnectAsrSessionCommand), "Session").Single(), "ValueFromPipeline"));
    }

    [Fact]
    public void Every_cmdlet_cancels_through_the_shared_base()
    {
        Assert.All(Cmdlets, t => Assert.True(typeof(AsrCmdletBase).IsAssignableFrom(t)));
        var stop = typeof(AsrCmdletBase).GetMethod("StopProcessing", BindingFlags.NonPublic | BindingFlags.Instance)!;
        Assert.Equal(typeof(AsrCmdletBase), stop.DeclaringType);
    }

    [Fact]
    public void Error_kinds_map_to_categories()
    {
        Assert.Equal(System.Management.Automation.ErrorCategory.AuthenticationError, ErrorMapping.Category(AsrErrorKind.Authentication));
        Assert.Equal(System.Management.Automation.ErrorCategory.InvalidData, ErrorMapping.Category(AsrErrorKind.AudioFormat));
        Assert.Equal(System.Management.Automation.ErrorCategory.ConnectionError, ErrorMapping.Category(AsrErrorKind.Connection));
        Assert.All(Enum.GetValues<AsrErrorKind>(), k => Assert.NotEqual(System.Management.Automation.ErrorCategory.NotSpecified, ErrorMapping.Category(k)));
    }

    [Fact]
    public void Format_view_shows_Start_End_Provider_Text()
    {
        var xml = File.ReadAllText(Fixtures.RepoFile("module/SpeechStream.format.ps1xml"));
        var labels = Regex.Matches(xml.Split("SpeechStream.AsrSession")[0], "<Label>([^<]+)</Label>").Select(m => m.Groups[1].Value);
        Assert.Equal(new[] { "Start", "End", "Provider", "Text" }, labels);
        Assert.Contains("<TypeName>" + typeof(Engine.Transcripts.Transcript).FullName + "</TypeName>", xml);
    }

    [Fact]
    public void Connecting_cmdlets_share_the_typed_provider_parameters()
    {
        foreach (var t in new[] { typeof(InvokeAsrFileCommand), typeof(ConnectAsrSessionCommand) })
        {
            Assert.True(typeof(AsrConnectingCmdletBase).IsAssignableFrom(t));
            foreach (var p in new[] { "Language", "ApiKey", "AuthMode", "Environment", "Endpoint", "Model", "WordTimestamps", "Diarize", "Vocabulary", "ProviderOption", "Emulate" })
                Assert.NotEmpty(Parameters(t, p));
            Assert.Equal(typeof(string[]), t.GetProperty("Vocabulary")!.PropertyType);
            Assert.Equal(typeof(System.Collections.Hashtable), t.GetProperty("ProviderOption")!.PropertyType);
            var completer = Attr(t.GetProperty("Language")!, "ArgumentCompleterAttribute")!;
            Assert.Equal(typeof(LanguageCompleter), completer.ConstructorArguments[0].Value);
            Assert.Equal(typeof(EnvironmentCompleter), Attr(t.GetProperty("Environment")!, "ArgumentCompleterAttribute")!.ConstructorArguments[0].Value);
            Assert.Equal(typeof(ProviderNameCompleter), Attr(t.GetProperty("Provider")!, "ArgumentCompleterAttribute")!.ConstructorArguments[0].Value);
            // No fixed set: each provider has its own environments (validated by the engine with the list in the error).
            Assert.Null(Attr(t.GetProperty("Environment")!, "ValidateSetAttribute"));
        }
        Assert.Equal(typeof(string[]), typeof(InvokeAsrFileCommand).GetProperty("Provider")!.PropertyType);
        Assert.Equal(typeof(string), typeof(ConnectAsrSessionCommand).GetProperty("Provider")!.PropertyType);
    }

    [Fact]
    public void ConvertTo_Speech_takes_text_from_the_pipeline_and_the_voice_settings()
    {
        var t = typeof(ConvertToSpeechCommand);
        var text = Assert.Single(Parameters(t, "Text"));
        Assert.Equal(true, Named(text, "ValueFromPipeline"));
        Assert.Equal(true, Named(text, "Mandatory"));
        Assert.Equal(true, Named(Parameters(t, "OutFile").Single(), "Mandatory"));
        foreach (var p in new[] { "Voice", "Language", "SampleRate", "Speed", "Pitch", "Volume", "Style", "Role", "Degree", "ApiKey", "Endpoint", "Emulate" })
            Assert.NotEmpty(Parameters(t, p));
        Assert.Equal(typeof(System.Security.SecureString), t.GetProperty("ApiKey")!.PropertyType);
        var output = Attr(t, "OutputTypeAttribute")!;
        var types = ((IEnumerable<CustomAttributeTypedArgument>)output.ConstructorArguments[0].Value!).Select(a => (Type)a.Value!);
        Assert.Contains(typeof(Engine.Providers.VoxNexus.SpeechResult), types);
    }

    [Fact]
    public void Completion_follows_the_provider_already_typed()
    {
        IEnumerable<string>? Bound(object? provider, string cmdlet = "Invoke-AsrFile") =>
            Completion.BoundProviders(cmdlet, provider is null ? new System.Collections.Hashtable() : new System.Collections.Hashtable { ["Provider"] = provider });
        Assert.Equal(new[] { "IApp" }, Bound("IApp"));
        Assert.Equal(new[] { "th" }, Engine.Providers.ProviderRegistry.LanguagesFor(Bound("IApp")));
        Assert.Equal(new[] { "Voxist", "Smallest" }, Bound(new object[] { "Voxist", "Smallest" }));
        Assert.Equal(new[] { "Voxist", "Smallest" }, Bound("Voxist,Smallest"));
        Assert.Equal(new[] { "Voxist" }, Bound(null)); // none typed: the provider the command will use
        Assert.Null(Bound(null, "Get-AsrSession")); // a command without a provider: every provider counts
        Assert.Equal(new[] { "VoxNexus" }, Bound(null, "ConvertTo-Speech")); // TTS is VoxNexus's
        Assert.Equal(new[] { "token", "header" }, Engine.Providers.ProviderRegistry.AuthModesFor(Bound(null, "ConvertTo-Speech")));
        Assert.Contains("deepgram.nova-2", Engine.Providers.ProviderRegistry.ModelsFor(Bound("Speechall")));
        Assert.Empty(Engine.Providers.ProviderRegistry.ModelsFor(Bound("Voxist")));
        Assert.Contains(Engine.Providers.ProviderRegistry.OptionsFor(Bound("Voxist")), o => o.Name == "end_signal");
    }

    [Fact]
    public void Invoke_AsrFile_takes_channels_and_raw_format_and_Invoke_AsrMicrophone_its_capture_parameters()
    {
        var file = typeof(InvokeAsrFileCommand);
        foreach (var p in new[] { "Channel", "RawFormat", "RawSampleRate", "RawChannels" })
            Assert.NotEmpty(Parameters(file, p));
        var channels = Attr(file.GetProperty("Channel")!, "ValidateSetAttribute")!;
        Assert.Equal(new[] { "Mix", "Left", "Right", "Split" }, ((IEnumerable<CustomAttributeTypedArgument>)channels.ConstructorArguments[0].Value!).Select(a => (string)a.Value!));
        var mic = typeof(InvokeAsrMicrophoneCommand);
        Assert.True(typeof(AsrConnectingCmdletBase).IsAssignableFrom(mic));
        foreach (var p in new[] { "Provider", "Device", "Loopback", "Duration", "CaptureCommand", "Language", "IncludePartial", "Emulate" })
            Assert.NotEmpty(Parameters(mic, p));
        Assert.Equal(typeof(System.Management.Automation.SwitchParameter), mic.GetProperty("Loopback")!.PropertyType);
        Assert.Equal(typeof(AudioDeviceCompleter), Attr(mic.GetProperty("Device")!, "ArgumentCompleterAttribute")!.ConstructorArguments[0].Value);
        var devices = typeof(GetAsrAudioDeviceCommand);
        Assert.NotNull(Attr(devices.GetProperty("Name")!, "SupportsWildcardsAttribute"));
        var kinds = Attr(devices.GetProperty("Kind")!, "ValidateSetAttribute")!;
        Assert.Equal(Enum.GetNames<Engine.Audio.Capture.AudioDeviceKind>(), ((IEnumerable<CustomAttributeTypedArgument>)kinds.ConstructorArguments[0].Value!).Select(a => (string)a.Value!));
        Assert.Contains(typeof(Engine.Audio.Capture.AudioDeviceInfo), ((IEnumerable<CustomAttributeTypedArgument>)Attr(devices, "OutputTypeAttribute")!.ConstructorArguments[0].Value!).Select(a => (Type)a.Value!));
        var output = Attr(mic, "OutputTypeAttribute")!;
        Assert.Contains(typeof(Engine.Transcripts.Transcript), ((IEnumerable<CustomAttributeTypedArgument>)output.ConstructorArguments[0].Value!).Select(a => (Type)a.Value!));
    }
}

public class EventPumpTests
{
    [Fact]
    public void Events_posted_from_background_threads_are_dispatched_on_the_calling_thread_in_order()
    {
        using var pump = new EventPump();
        int caller = Environment.CurrentManagedThreadId;
        var seen = new List<(int Thread, object? Item)>();
        pump.Run(async ct =>
        {
            for (int i = 0; i < 50; i++)
            {
                await Task.Yield();
                pump.Output(i);
            }
            pump.Post(PumpEventKind.Verbose, "done");
        }, e => seen.Add((Environment.CurrentManagedThreadId, e.Payload)), CancellationToken.None);
        Assert.All(seen, s => Assert.Equal(caller, s.Thread));
        Assert.Equal(Enumerable.Range(0, 50).Cast<object>().Append("done"), seen.Select(s => s.Item));
    }

    [Fact]
    public void The_works_exception_comes_after_everything_it_posted()
    {
        using var pump = new EventPump();
        var seen = new List<object?>();
        var e = Assert.Throws<AsrException>(() => pump.Run(ct =>
        {
            pump.Output("a");
            pump.Output("b");
            throw new AsrException(AsrErrorKind.Provider, "X", "boom");
        }, ev => seen.Add(ev.Payload), CancellationToken.None));
        Assert.Equal("X", e.ErrorId);
        Assert.Equal(new object[] { "a", "b" }, seen);
    }

    /// <summary>The work never ends on its own: only the cancellation can end the run, and it ends cancelled.</summary>
    [Fact]
    public void Cancellation_ends_the_run()
    {
        using var pump = new EventPump();
        using var cts = new CancellationTokenSource(200);
        Assert.ThrowsAny<OperationCanceledException>(() => pump.Run(ct => Task.Delay(Timeout.Infinite, ct), _ => { }, cts.Token));
    }

    [Fact]
    public void Logs_are_routed_to_verbose_debug_and_warning_and_redacted()
    {
        using var pump = new EventPump();
        var seen = new List<PumpEvent>();
        pump.Run(ct =>
        {
            using var lf = pump.CreateLoggerFactory();
            var log = lf.CreateLogger("Test");
            Microsoft.Extensions.Logging.LoggerExtensions.LogInformation(log, "connecting to wss://x/ws?api_key=abcdef123&lang=en");
            Microsoft.Extensions.Logging.LoggerExtensions.LogDebug(log, "debug line");
            Microsoft.Extensions.Logging.LoggerExtensions.LogWarning(log, "warn line");
            return Task.CompletedTask;
        }, seen.Add, CancellationToken.None);
        Assert.Equal(new[] { PumpEventKind.Verbose, PumpEventKind.Debug, PumpEventKind.Warning }, seen.Select(e => e.Kind));
        Assert.DoesNotContain("abcdef123", (string)seen[0].Payload!);
        Assert.Contains("api_key=***&lang=en", (string)seen[0].Payload!);
    }
}

public class SecretTests
{
    [Fact]
    public void Secrets_never_print_and_known_values_are_scrubbed()
    {
        var s = new Engine.Diagnostics.Secret("my-key-000111");
        Assert.Equal("***", s.ToString());
        Assert.Equal("auth failed for ***", Engine.Diagnostics.SecretRedactor.Redact("auth failed for my-key-000111"));
        Assert.Equal("Authorization: Bearer ***", Engine.Diagnostics.SecretRedactor.Redact("Authorization: Bearer abc.def"));
        Assert.Equal("wss://h/ws?token=***&lang=fr", Engine.Diagnostics.SecretRedactor.Redact("wss://h/ws?token=eyJ.x.y&lang=fr"));
    }
}
