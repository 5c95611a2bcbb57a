using SpeechStream.Cli;
using SpeechStream.Emulator;

namespace SpeechStream.Tests;

/// <summary>The command line's parsing and inputs: every bad value is an error before any connection, with "did you
/// mean"; values in any case; help with examples; keys from a file or standard input; inputs refused by name.</summary>
public class CommandLineTests
{
    private static Task<(int Code, string Out, string Err)> RunWithStdin(string stdin, params string[] args) =>
        CliRunner.RunAsync(args, new MemoryStream(System.Text.Encoding.UTF8.GetBytes(stdin)));

    [Theory]
    [InlineData("--formt", "csv", "Unknown option '--formt' for transcribe. Did you mean '--format'?")]
    [InlineData("--word-timestamps", "yes", "'yes' is not a file. --word-timestamps and --diarize take true or false")]
    [InlineData("--format", "cvs", "'cvs' is not a valid value for --format: expected one of text, csv, jsonl, srt, vtt. Did you mean 'csv'?")]
    [InlineData("--provider", "voxis", "Did you mean 'voxist'?")]
    [InlineData("--channels", "splt", "Did you mean 'split'?")]
    [InlineData("--speed", "1e-9", "Speed '1e-9' is not valid")]
    [InlineData("--speed", "fast", "Speed 'fast' is not valid")]
    [InlineData("--raw", "s16le:1:1", "--raw 's16le:1:1' is not valid")]
    [InlineData("--shard", "0/4", "$((JOB_COMPLETION_INDEX + 1))/N")]
    [InlineData("--parallel", "0", "--parallel takes a whole number from 1 to 256; got '0'.")]
    [InlineData("--parallel", "abc", "--parallel takes a whole number from 1 to 256; got 'abc'.")]
    [InlineData("--chunk-ms", "abc", "--chunk-ms takes a whole number from 10 to 1000; got 'abc'.")]
    [InlineData("--chunk-ms", "1e3", "--chunk-ms takes a whole number from 10 to 1000; got '1e3'.")]
    [InlineData("--chunk-ms", "2147483648", "--chunk-ms takes a whole number from 10 to 1000; got '2147483648'.")]
    [InlineData("--drain-timeout", "NaN", "--drain-timeout takes seconds from 1 to 600; got 'NaN'.")]
    [InlineData("--drain-timeout", "Infinity", "--drain-timeout takes seconds from 1 to 600; got 'Infinity'.")]
    [InlineData("--drain-timeout", "1e308", "--drain-timeout takes seconds from 1 to 600; got '1e308'.")]
    [InlineData("--drain-timeout", "-5", "--drain-timeout takes seconds from 1 to 600; got '-5'.")]
    [InlineData("--completion-grace", "NaN", "--completion-grace takes seconds from 0 to 10; got 'NaN'.")]
    [InlineData("--provider", "", "--provider takes a provider name; got an empty one")]
    [InlineData("--language", "", "--language takes a value; got an empty one.")]
    [InlineData("--option", "novalue", "expected NAME=VALUE")]
    [InlineData("--endpoint", "http://example.com/", "is not an absolute ws:// or wss:// URL")]
    public async Task A_bad_value_is_an_error_before_any_connection(string option, string value, string message)
    {
        // The endpoint is a listener that would see any connection attempt.
        using var endpoint = new SilentEndpoint();
        var args = new List<string> { "transcribe", Fixtures.Audio("librivox-1.wav"), option, value };
        if (option != "--endpoint") args.AddRange(new[] { "--endpoint", endpoint.Url, "--api-key", "k-123456" });
        var (code, _, err) = await CliTests.Run(args.ToArray());
        Assert.Equal(2, code);
        Assert.Contains(message, err);
        Assert.Contains("Try 'speechstream transcribe --help'.", err);
        Assert.False(endpoint.SawConnection, "nothing connected");
    }

    /// <summary>A value outside a provider's closed list (Voxist's and iApp's languages) is refused before
    /// anything connects, with the nearest codes; a malformed one is refused for every provider.</summary>
    [Theory]
    [InlineData("voxist", "xx-bogus", "Voxist does not support language 'xx-bogus'. Expected one of: fr, fr-medical,")]
    [InlineData("voxist", "en-GB", "Voxist does not support language 'en-GB'. Did you mean: en, en-US?")]
    [InlineData("iapp", "en", "IApp does not support language 'en'. Expected one of: th (also accepted: th-TH).")]
    [InlineData("voxnexus", "en US", "Language 'en US' is not a language code")]
    [InlineData("smallest", "../../etc", "Language '../../etc' is not a language code")]
    public async Task A_language_the_provider_does_not_take_is_refused_before_connecting(string provider, string language, string message)
    {
        using var endpoint = new SilentEndpoint();
        var (code, _, err) = await CliTests.Run("transcribe", Fixtures.Audio("librivox-1.wav"), "--provider", provider, "--language", language,
            "--endpoint", endpoint.Url, "--api-key", "k-123456");
        Assert.True(code == 2, $"exit {code}: {err}");
        Assert.Contains(message, err);
        Assert.False(endpoint.SawConnection, "nothing connected");
    }

    [Fact]
    public async Task With_several_providers_every_one_is_checked_before_any_connects()
    {
        // Smallest takes 'de'; Voxist does too, but not 'hu': Smallest must not have been run (its emulator would write rows).
        var (code, stdout, err) = await CliTests.Run("transcribe", Fixtures.Audio("librivox-2.wav"), "--provider", "smallest,voxist", "--language", "hu",
            "--emulate", "--speed", "max");
        Assert.True(code == 2, $"exit {code}: {err}");
        Assert.Contains("Voxist does not support language 'hu'.", err);
        Assert.Equal("", stdout);
        var (code2, stdout2, err2) = await CliTests.Run("transcribe", Fixtures.Audio("librivox-2.wav"), "--provider", "voxist,speechall", "--emulate", "--speed", "max");
        Assert.True(code2 == 2, $"exit {code2}: {err2}");
        Assert.Contains("Speechall needs a model", err2);
        Assert.Equal("", stdout2);
    }

    [Fact]
    public async Task A_language_or_model_outside_an_open_list_is_sent_with_one_verbose_note()
    {
        var (code, stdout, err) = await CliTests.Run("transcribe", Fixtures.Audio("librivox-2.wav"), "--provider", "speechall", "--model", "deepgram.nova-4",
            "--language", "en_gb", "--emulate", "--speed", "max", "--verbose");
        Assert.True(code == 0, $"exit {code}: {err}");
        Assert.NotEqual("", stdout);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(err, "Language 'en_gb' is not among the languages Speechall's documents list"));
        Assert.Contains("Model 'deepgram.nova-4' is not among the models Speechall's documents name", err);
        Assert.Contains("Did you mean: deepgram.nova-2, deepgram.nova-3?", err);
        Assert.Contains("language=en_gb", err); // sent as given (the connect line)
        // Case: a closed list's spelling is sent, not the user's.
        var (code3, _, err3) = await CliTests.Run("transcribe", Fixtures.Audio("librivox-2.wav"), "--language", "EN", "--emulate", "--speed", "max", "--verbose");
        Assert.True(code3 == 0, $"exit {code3}: {err3}");
        Assert.Contains("lang=en&", err3);
    }

    [Theory]
    [InlineData("emulate --port abc", "--port takes a whole number from 0 to 65535; got 'abc'.")]
    [InlineData("emulate --port 70000", "--port takes a whole number from 0 to 65535; got '70000'.")]
    [InlineData("listen --emulate --duration NaN", "--duration takes a positive number of seconds; got 'NaN'.")]
    [InlineData("listen --emulate --duration -1", "--duration takes a positive number of seconds; got '-1'.")]
    public async Task A_number_that_does_not_parse_is_a_usage_error_not_a_crash(string line, string message)
    {
        var (code, _, err) = await CliTests.Run(line.Split(' '));
        Assert.Equal(2, code);
        Assert.Contains(message, err);
        Assert.DoesNotContain("Unhandled exception", err);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public async Task A_mistyped_command_gets_a_suggestion()
    {
        var (code, _, err) = await CliTests.Run("transcibe", "a.wav");
        Assert.Equal(2, code);
        Assert.Contains("Did you mean 'transcribe'?", err);
    }

    [Fact]
    public async Task Values_of_closed_sets_take_any_case()
    {
        var (code, stdout, err) = await CliTests.Run("transcribe", Fixtures.Audio("call-stereo-8k-mulaw.wav"), "--emulate", "-p", "VoxNexus",
            "-f", "CSV", "--channels", "Split", "--speed", "MAX", "-q");
        Assert.True(code == 0, err);
        Assert.StartsWith("\"Provider\"", stdout);
        Assert.Contains("\"left\"", stdout);
        Assert.Contains("\"right\"", stdout);
    }

    [Theory]
    [InlineData("transcribe", "--output-dir")]
    [InlineData("listen", "--capture-command")]
    [InlineData("speak", "--voice")]
    [InlineData("emulate", "--list-profiles")]
    public async Task Help_of_each_command_shows_examples(string command, string option)
    {
        var (code, stdout, _) = await CliTests.Run(command, "--help");
        Assert.Equal(0, code);
        Assert.Contains(option, stdout);
        Assert.Contains("Examples:\n  speechstream " + command, stdout.Replace("\r\n", "\n"));
    }

    [Fact]
    public async Task Help_warns_that_a_key_on_the_command_line_is_visible_to_other_users()
    {
        var (_, stdout, _) = await CliTests.Run("transcribe", "--help");
        Assert.Contains("visible to other users", stdout.Replace("\n", " ").Replace("  ", " "));
    }

    [Fact]
    public async Task The_key_comes_from_a_file_or_standard_input_and_is_checked_by_the_server()
    {
        await using var server = EmulatorServer.Start("Voxist", new EmulatorOptions { ApiKey = "K-from-file-1234" });
        string keyFile = Path.GetTempFileName();
        File.WriteAllText(keyFile, "K-from-file-1234\n");
        string[] Common(params string[] more) => new[] { "transcribe", Fixtures.Audio("librivox-2.wav"), "--endpoint", server.Endpoint.ToString(), "--auth", "key", "--speed", "max", "-q" }.Concat(more).ToArray();
        var fromFile = await CliTests.Run(Common("--api-key-file", keyFile));
        Assert.True(fromFile.Code == 0, fromFile.Err);
        Assert.StartsWith("[00:00.", fromFile.Out);
        var fromStdin = await RunWithStdin("K-from-file-1234\n", Common("--api-key", "-"));
        Assert.True(fromStdin.Code == 0, fromStdin.Err);
        var wrong = await RunWithStdin("K-wrong-99999\n", Common("--api-key", "-"));
        Assert.Equal(3, wrong.Code);
        Assert.DoesNotContain("K-wrong-99999", wrong.Err);
        var both = await RunWithStdin("x", "transcribe", "-", "--api-key", "-", "--raw", "s16le");
        Assert.Equal(2, both.Code);
        Assert.Contains("both read standard input", both.Err);
        var missing = await CliTests.Run(Common("--api-key-file", keyFile + ".nope"));
        Assert.Equal(2, missing.Code);
        Assert.Contains("does not exist", missing.Err);
    }

    [Fact]
    public async Task An_empty_or_endless_key_source_is_refused_and_never_falls_back_to_the_environment_variable()
    {
        // A fall back to VOXIST_API_KEY would say "No API key for Voxist" (unset) or connect (set): neither may happen.
        await using var server = EmulatorServer.Start("Voxist", new EmulatorOptions { ApiKey = "K-env-12345" });
        string empty = Path.GetTempFileName();
        string[] Common(params string[] more) => new[] { "transcribe", Fixtures.Audio("librivox-2.wav"), "--endpoint", server.Endpoint.ToString(), "--auth", "key", "--speed", "max", "-q" }.Concat(more).ToArray();
        var fromEmptyFile = await CliTests.Run(Common("--api-key-file", empty));
        Assert.Equal(2, fromEmptyFile.Code);
        Assert.Contains($"--api-key-file '{empty}' holds no key", fromEmptyFile.Err);
        var fromEmptyStdin = await RunWithStdin("", Common("--api-key", "-"));
        Assert.Equal(2, fromEmptyStdin.Code);
        Assert.Contains("Standard input (--api-key -) holds no key", fromEmptyStdin.Err);
        if (File.Exists("/dev/zero")) // an endless first line: refused after 16 KB, not read to exhaustion
        {
            var endless = await CliTests.Run(Common("--api-key-file", "/dev/zero"));
            Assert.Equal(2, endless.Code);
            Assert.Contains("its first line is longer than 16 KB", endless.Err);
        }
        var longLine = Path.GetTempFileName();
        File.WriteAllText(longLine, new string('k', 20_000));
        var tooLong = await CliTests.Run(Common("--api-key-file", longLine));
        Assert.Equal(2, tooLong.Code);
        Assert.Contains("its first line is longer than 16 KB", tooLong.Err);
        Assert.DoesNotContain("No API key", fromEmptyFile.Err + fromEmptyStdin.Err + tooLong.Err);
        Assert.Empty(server.Connections);
    }

    [Theory]
    [InlineData("smallest", "ключ-zq9-12345", 1)]
    [InlineData("iapp", "zq9 def-12345", 4)]
    [InlineData("speechall", "zq9\r\nX-Injected: 1", 4)]
    public async Task A_key_no_header_can_carry_is_refused_before_connecting_without_being_shown(string provider, string key, int position)
    {
        using var endpoint = new SilentEndpoint();
        var args = new List<string> { "transcribe", Fixtures.Audio("librivox-2.wav"), "--provider", provider,
            "--endpoint", endpoint.Url, "--api-key", key };
        if (provider == "speechall") args.AddRange(new[] { "--model", "deepgram.nova-2" });
        var (code, stdout, err) = await CliTests.Run(args.ToArray());
        Assert.Equal(2, code);
        Assert.Contains($"has a character that cannot be sent in an HTTP header or URL", err);
        Assert.Contains($"at position {position} of {key.Length}", err);
        Assert.DoesNotContain(key.Split('\r')[0], stdout + err);
        Assert.False(endpoint.SawConnection, "nothing connected");
    }

    [Fact]
    public async Task Raw_on_a_wav_file_is_refused_rather_than_sending_its_header_as_audio()
    {
        var fromFile = await CliTests.Run("transcribe", Fixtures.Audio("librivox-2.wav"), "--raw", "s16le:16000:1", "--emulate", "--speed", "max");
        Assert.Equal(2, fromFile.Code);
        Assert.Contains("it is a WAV file (it begins with a RIFF/WAVE header), but it was declared headerless PCM", fromFile.Err);
        Assert.Equal("", fromFile.Out);
        var headerless = await CliTests.Run("transcribe", Fixtures.Audio("variant-16k-s16le.raw"), "--raw", "s16le:16000:1", "--emulate", "--speed", "max");
        Assert.True(headerless.Code == 0, headerless.Err);
    }

    private static string Wav(byte[] header, byte[] data, string magic = "RIFF")
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("wav-").FullName, "in.wav");
        using var w = new BinaryWriter(File.Create(path));
        w.Write(System.Text.Encoding.ASCII.GetBytes(magic)); w.Write(36 + data.Length); w.Write("WAVE"u8.ToArray());
        w.Write(header); w.Write("data"u8.ToArray()); w.Write(data.Length); w.Write(data);
        return path;
    }

    private static byte[] Fmt(int rate)
    {
        var ms = new MemoryStream();
        var w = new BinaryWriter(ms);
        w.Write("fmt "u8.ToArray()); w.Write(16); w.Write((short)1); w.Write((short)1); w.Write(rate); w.Write(rate * 2); w.Write((short)2); w.Write((short)16);
        return ms.ToArray();
    }

    [Fact]
    public async Task Empty_audio_is_an_error_that_says_so()
    {
        var (code, _, err) = await CliTests.Run("transcribe", Wav(Fmt(16000), Array.Empty<byte>()), "--emulate", "--speed", "max");
        Assert.Equal(2, code);
        Assert.Contains("holds no audio", err);
        var raw = await RunWithStdin("", "transcribe", "-", "--raw", "s16le:16000:1", "--emulate", "--speed", "max");
        Assert.Equal(2, raw.Code);
        Assert.Contains("holds no audio", raw.Err);
    }

    [Fact]
    public async Task A_sample_rate_below_the_floor_a_folder_and_a_wss_url_to_a_plain_server_are_named()
    {
        var low = await CliTests.Run("transcribe", Wav(Fmt(1), new byte[32000]), "--emulate", "--speed", "max");
        Assert.Equal(2, low.Code);
        Assert.Contains("sample rate of 1 Hz; expected 4000", low.Err);

        string folder = Directory.CreateTempSubdirectory("folder-").FullName;
        var dir = await CliTests.Run("transcribe", folder, "--emulate", "--speed", "max");
        Assert.Equal(2, dir.Code);
        Assert.Contains("is a folder, not an audio file", dir.Err);

        await using var plain = EmulatorServer.Start("Voxist");
        var tls = await CliTests.Run("transcribe", Fixtures.Audio("librivox-2.wav"), "--endpoint", $"wss://127.0.0.1:{plain.Port}/ws",
            "--auth", "key", "--api-key", "k-123456", "--speed", "max");
        Assert.Equal(4, tls.Code);
        Assert.Contains("TLS handshake failed", tls.Err);
        Assert.Contains("use ws:// instead of wss://", tls.Err);
    }

    [Fact]
    public async Task An_RF64_file_is_read()
    {
        // RF64 (EBU Tech 3306): sizes 0xFFFFFFFF, the real ones in a ds64 chunk before the data.
        var pcm = File.ReadAllBytes(Fixtures.Audio("librivox-2.wav"))[44..];
        string path = Path.Combine(Directory.CreateTempSubdirectory("rf64-").FullName, "librivox-2.wav");
        using (var w = new BinaryWriter(File.Create(path)))
        {
            w.Write("RF64"u8.ToArray()); w.Write(uint.MaxValue); w.Write("WAVE"u8.ToArray());
            w.Write("ds64"u8.ToArray()); w.Write(28); w.Write((long)(36 + 36 + pcm.Length)); w.Write((long)pcm.Length); w.Write((long)(pcm.Length / 2)); w.Write(0);
            w.Write(Fmt(16000));
            w.Write("data"u8.ToArray()); w.Write(uint.MaxValue); w.Write(pcm);
        }
        File.Copy(Fixtures.Audio("librivox-2.json"), Path.ChangeExtension(path, ".json"));
        var (code, stdout, err) = await CliTests.Run("transcribe", path, "--emulate", "--speed", "max", "-q");
        Assert.True(code == 0, err);
        Assert.Contains(Fixtures.ReferenceText("librivox-2.wav"), stdout);
    }

    [Fact]
    public async Task Text_output_in_split_mode_says_who_spoke()
    {
        var (code, stdout, err) = await CliTests.Run("transcribe", Fixtures.Audio("call-stereo-8k-mulaw.wav"), "--emulate", "-p", "smallest",
            "--channels", "split", "--speed", "max", "-q");
        Assert.True(code == 0, err);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.Contains("] left: "));
        Assert.Contains(lines, l => l.Contains("] right: "));
        Assert.All(lines, l => Assert.Matches(@"^\[\d\d:\d\d\.\d\d - (\d\d:\d\d\.\d\d|\?\s+)\] (left|right): ", l));
    }
}
