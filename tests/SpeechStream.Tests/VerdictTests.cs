using System.Diagnostics;
using SpeechStream.Emulator;
using SpeechStream.Engine;
using SpeechStream.Engine.Jobs;
using SpeechStream.Engine.Sessions;
using SpeechStream.Engine.Transcripts;

namespace SpeechStream.Tests;

/// <summary>The verdict reaches the user: the CLI's exit code (worst of several), stderr naming the audio, the
/// rows marked Unconfirmed; and stays bounded whatever a server sends.</summary>
public class VerdictTests
{
    [Fact]
    public async Task An_incomplete_transcript_exits_5_names_the_audio_and_marks_its_rows()
    {
        var (code, stdout, stderr) = await CliTests.Run("transcribe", Fixtures.Audio("librivox-1.wav"), "--provider", "smallest", "--emulate",
            "--emulator-profile", "close-without-completion", "--speed", "max", "--format", "csv");
        Assert.True(code == 5, $"exit {code}: {stderr}");
        Assert.Contains("transcript incomplete", stderr);
        Assert.Contains("4.52-7.10 s of audio", stderr);
        Assert.Contains("Smallest: 4.52-7.10 s without a confirmed final (1 row(s) marked Unconfirmed)", stderr);
        var rows = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        Assert.Equal(2, rows.Count);
        Assert.EndsWith("\"False\",\"and@0.15 mister@0.37 john@0.63 dashwood@1 had@1.56 then@1.84 leisure@2.22 to@2.72 consider@2.9 how@3.45 much@3.9 there@4.33\"", rows[0].TrimEnd('\r'));
        var table = ReadCsv(stdout);
        var (header, last) = (table[0], table[^1]);
        Assert.Equal(("might be prudently in his power to do for", "True"), (last[Array.IndexOf(header, "Text")], last[Array.IndexOf(header, "Unconfirmed")]));
    }

    /// <summary>The CSV's rows as fields, quotes undone (a null field is empty and unquoted, as Export-Csv writes it).</summary>
    private static List<string[]> ReadCsv(string csv)
    {
        using var parser = new Microsoft.VisualBasic.FileIO.TextFieldParser(new StringReader(csv)) { HasFieldsEnclosedInQuotes = true };
        parser.SetDelimiters(",");
        var rows = new List<string[]>();
        while (!parser.EndOfData) rows.Add(parser.ReadFields()!);
        return rows;
    }

    [Fact]
    public async Task Text_output_marks_the_rows_the_provider_never_confirmed()
    {
        var (code, stdout, stderr) = await CliTests.Run("transcribe", Fixtures.Audio("librivox-1.wav"), "--emulate",
            "--emulator-profile", "close-without-completion", "--speed", "max");
        Assert.True(code == 5, $"exit {code}: {stderr}");
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.DoesNotContain("(unconfirmed)", lines[0]);
        Assert.Contains("(unconfirmed) might be prudently in his power to do for", lines[^1]);
    }

    [Fact]
    public async Task The_emulate_command_lists_its_profiles_and_names_a_busy_port()
    {
        var (code, stdout, _) = await CliTests.Run("emulate", "--list-profiles");
        Assert.Equal(0, code);
        Assert.All(EmulatorProfiles.All, p => Assert.Contains(p.Name, stdout));
        Assert.Contains("no-segment                Voxist", stdout);
        await using var busy = EmulatorServer.Start("Voxist");
        var (refused, _, stderr) = await CliTests.Run("emulate", "--port", busy.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(2, refused);
        Assert.Contains($"Port {busy.Port} on 127.0.0.1 is not available (already in use)", stderr);
    }

    [Fact]
    public async Task With_several_providers_the_worst_outcome_is_the_exit_code()
    {
        var (code, stdout, stderr) = await CliTests.Run("transcribe", Fixtures.Audio("librivox-2.wav"), "--provider", "voxist,iapp", "--emulate",
            "--emulator-profile", "close-without-completion", "--speed", "max", "--format", "csv");
        Assert.True(code == 5, $"exit {code}: {stderr}");
        Assert.Equal(2, stderr.Split('\n').Count(l => l.Contains("transcript incomplete")));
    }

    /// <summary>A stand-in host that gives each provider its own profile.</summary>
    private sealed class PerProvider(Dictionary<string, string> profiles) : IEmulatorHost
    {
        public IEmulatorInstance Start(string provider, string? audioPath) =>
            new EmulatorHost { Profile = profiles.GetValueOrDefault(provider) }.Start(provider, audioPath);
    }

    [Fact]
    public async Task One_provider_failing_makes_the_run_fail_while_the_others_transcript_is_kept()
    {
        var job = new TranscriptionJob
        {
            Providers = new[] { "Voxist", "Smallest" }, Session = new SessionOptions { Provider = "Voxist", Language = "en" }, Speed = 0,
            Emulators = new PerProvider(new() { ["Smallest"] = "auth-401" }),
        };
        var rows = new List<Transcript>();
        var outcome = await job.RunFileAsync(Fixtures.Audio("librivox-2.wav"), rows.Add);
        Assert.Equal(Verdict.Whole, outcome.Providers[0].Verdict);
        Assert.Equal(Verdict.AuthenticationFailed, outcome.Providers[1].Verdict);
        Assert.Equal(Verdict.AuthenticationFailed, outcome.Verdict);
        Assert.Equal(3, Verdicts.ExitCode(outcome.Verdict));
        Assert.Equal(Fixtures.ReferenceText("librivox-2.wav"), string.Join(" ", rows.Where(r => r.Provider == "Voxist").Select(r => r.Text)));
        Assert.Equal("en", job.ForProvider("Voxist").Language);
    }

    [Fact]
    public async Task A_typed_parameter_goes_to_the_providers_that_have_it_when_several_run()
    {
        var job = new TranscriptionJob
        {
            Providers = new[] { "Voxist", "Speechall" }, Session = new SessionOptions { Provider = "Voxist", Language = "en", Model = "deepgram.nova-2" },
            Speed = 0, Emulators = new EmulatorHost(),
        };
        Assert.Null(job.ForProvider("Voxist").Model);
        Assert.Equal("deepgram.nova-2", job.ForProvider("Speechall").Model);
        var outcome = await job.RunFileAsync(Fixtures.Audio("librivox-2.wav"), _ => { });
        Assert.Equal(Verdict.Whole, outcome.Verdict);
        // One provider: the parameter stays, and the provider refuses it.
        var single = new TranscriptionJob { Providers = new[] { "Voxist" }, Session = job.Session, Speed = 0, Emulators = new EmulatorHost() };
        var refused = await single.RunFileAsync(Fixtures.Audio("librivox-2.wav"), _ => { });
        Assert.Equal("ParameterNotSupported", Assert.IsType<AsrException>(refused.Providers.Single().Error).ErrorId);
    }

    [Fact]
    public async Task An_unknown_emulator_profile_is_bad_usage_that_lists_the_profiles()
    {
        var (code, _, stderr) = await CliTests.Run("transcribe", Fixtures.Audio("librivox-2.wav"), "--emulate", "--emulator-profile", "nonsense");
        Assert.Equal(2, code);
        Assert.Contains("close-without-completion", stderr);
        Assert.Equal(2, (await CliTests.Run("transcribe", Fixtures.Audio("librivox-2.wav"), "--emulator-profile", "realtime")).Code);
        Assert.Equal(2, (await CliTests.Run("emulate", "--provider", "smallest", "--profile", "no-segment")).Code); // a Voxist-only profile
    }

    /// <summary>In process only: it stops the run through <see cref="SpeechStream.Cli.CliApp.RunAsync"/>'s token (the
    /// out-of-process stops, by signal, are <see cref="CliSignalTests"/>).</summary>
    [Fact]
    [Trait("Category", CliRunner.InProcessOnly)]
    public async Task The_emulate_command_serves_a_profile()
    {
        using var stop = new CancellationTokenSource();
        var output = new StringWriter();
        var app = new SpeechStream.Cli.CliApp(output, new StringWriter());
        var run = app.RunAsync(new[] { "emulate", "--provider", "speechall", "--port", "0", "--profile", "realtime,close-1001" }, stop.Token);
        while (!output.ToString().Contains("Emulating") && !run.IsCompleted) await Task.Delay(20);
        Assert.Contains("Emulating Speechall at ws://127.0.0.1:", output.ToString());
        stop.Cancel();
        Assert.Equal(0, await run);
    }

    /// <summary>A server flooding 100,000 partial results, each opening a new segment, against the CLI in its own
    /// process with the managed heap capped at 256 MB: it finishes, bounded, with no junk row.</summary>
    [Fact]
    public void A_flood_of_new_segments_stays_under_256_MB_and_bounded_output()
    {
        var psi = CliRunner.StartInfo(new[] { "transcribe", Fixtures.Audio("librivox-1.wav"), "--emulate", "--emulator-profile", "partial-flood",
            "--speed", "max", "--format", "csv", "-l", "en" });
        psi.Environment["DOTNET_GCHeapHardLimit"] = "0x10000000"; // 256 MB
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(TimeSpan.FromMinutes(3)), "the CLI finished");
        int rows = stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1;
        // The flood's partials are all about 0.5-0.6 s, which the first final covers: superseded, no junk row, whole
        // (it once wrote 256 one-word Unconfirmed rows).
        Assert.True(p.ExitCode == 0, $"exit {p.ExitCode}: {stderr.Result}");
        Assert.Equal(2, rows); // the clip's two finals
        Assert.DoesNotContain("flood", stdout.Result);
    }
}
