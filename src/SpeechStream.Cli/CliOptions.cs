using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using SpeechStream.Engine;
using SpeechStream.Engine.Audio;
using SpeechStream.Engine.Diagnostics;
using SpeechStream.Engine.Jobs;
using SpeechStream.Engine.Jobs.Batch;
using SpeechStream.Engine.Providers;

namespace SpeechStream.Cli;

/// <summary>
/// The options several commands share, and the checks that make a bad value a parse error (before any connection,
/// with "did you mean" where a close value exists): closed value sets in any case, providers, speed, raw formats,
/// provider options, endpoints, shards, key files.
/// </summary>
internal static class CliOptions
{
    public static Option<string> Provider(bool several) => Check(new Option<string>("--provider", "-p")
    {
        Description = (several ? "Provider, or several separated by commas to compare them on the same audio: " : "Provider: ")
                      + string.Join(", ", ProviderRegistry.Names).ToLowerInvariant() + " (any case).",
        DefaultValueFactory = _ => ProviderRegistry.DefaultProvider.ToLowerInvariant(),
    }, v =>
    {
        if (string.IsNullOrWhiteSpace(v.Replace(',', ' ')))
            return $"--provider takes a provider name; got an empty one: expected {string.Join(", ", ProviderRegistry.Names)} (any case).";
        foreach (var name in v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            if (!ProviderRegistry.Names.Contains(name, StringComparer.OrdinalIgnoreCase))
                return $"'{name}' is not a provider: expected {string.Join(", ", ProviderRegistry.Names)} (any case).{Suggest(name, ProviderRegistry.Names.Select(n => n.ToLowerInvariant()))}";
        return null;
    });

    /// <summary>An option whose value is one of <paramref name="values"/>, in any case.</summary>
    public static Option<string> Choice(string name, string alias, string description, string defaultValue, IReadOnlyList<string> values)
    {
        var o = alias.Length > 0 ? new Option<string>(name, alias) : new Option<string>(name);
        o.Description = description;
        o.DefaultValueFactory = _ => defaultValue;
        o.CompletionSources.Add(values.ToArray());
        return Check(o, v => values.Contains(v, StringComparer.OrdinalIgnoreCase) ? null
            : $"'{v}' is not a valid value for {name}: expected one of {string.Join(", ", values)}.{Suggest(v, values)}");
    }

    /// <summary>An option taking a whole number from <paramref name="min"/> to <paramref name="max"/>, read with the
    /// invariant culture. Anything else (not a number, a fraction or exponent, beyond the range or beyond Int32) is a
    /// parse error naming the value and the range, exit 2: never an exception.</summary>
    public static Option<T> WholeNumber<T>(Option<T> o, int min, int max)
    {
        o.CustomParser = r =>
        {
            string text = r.Tokens.Count > 0 ? r.Tokens[^1].Value : "";
            if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v) && v >= min && v <= max)
                return (T)(object)v;
            r.AddError($"{o.Name} takes a whole number from {min} to {max}; got '{text}'.");
            return default!;
        };
        return o;
    }

    /// <summary>An option taking seconds from <paramref name="min"/> to <paramref name="max"/> (a decimal number with a
    /// point, in every culture). NaN, infinities, negative values and values beyond the range are parse errors naming
    /// the value, exit 2: a stalled server is never waited on forever.</summary>
    public static Option<double> Seconds(Option<double> o, double min, double max)
    {
        o.CustomParser = r =>
        {
            if (ReadSeconds(r, out string text) is double v && v >= min && v <= max) return v;
            r.AddError(FormattableString.Invariant($"{o.Name} takes seconds from {min} to {max}; got '{text}'."));
            return default;
        };
        return o;
    }

    /// <summary>An optional option taking a positive number of seconds, read as <see cref="Seconds"/> reads them, with
    /// no upper bound (e.g. a capture's <c>--duration</c>).</summary>
    public static Option<double?> PositiveSeconds(Option<double?> o)
    {
        o.CustomParser = r =>
        {
            if (ReadSeconds(r, out string text) is double v && v > 0) return v;
            r.AddError($"{o.Name} takes a positive number of seconds; got '{text}'.");
            return null;
        };
        return o;
    }

    /// <summary>The option's last token as a finite decimal number with a point (invariant culture); null when it is
    /// not one (NaN and infinities included).</summary>
    private static double? ReadSeconds(ArgumentResult r, out string text)
    {
        text = r.Tokens.Count > 0 ? r.Tokens[^1].Value : "";
        return double.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out double v)
               && double.IsFinite(v) ? v : null;
    }

    /// <summary>An option whose value, when given, must not be empty or blank.</summary>
    public static Option<string?> NotEmpty(Option<string?> o) =>
        Check(o, v => string.IsNullOrWhiteSpace(v) ? $"{o.Name} takes a value; got an empty one." : null);

    public static Option<string> Speed() => Check(new Option<string>("--speed")
    {
        Description = $"Upload speed: 1 = real time (default), 2, 4, … up to {Pacer.MaxSpeed}, or max (as fast as the connection allows).",
        DefaultValueFactory = _ => "1",
    }, v => Try(() => Pacer.ParseSpeed(v)));

    public static Option<string?> Raw(string description) =>
        Check(new Option<string?>("--raw") { Description = description }, v => Try(() => ParseRaw(v)));

    public static Option<string[]> ProviderOptions(string description) =>
        Check(new Option<string[]>("--option", "-o") { Description = description }, v => Try(() => ParseOptions(new[] { v })));

    public static Option<string?> Endpoint(string description) =>
        Check(new Option<string?>("--endpoint") { Description = description }, v => Try(() => ParseEndpoint(v)));

    public static Option<string?> ApiKey(string variableExample) => new("--api-key")
    {
        Description = $"API key; '-' reads it from standard input. Default: the provider's environment variable ({variableExample}). " +
                      "A key given here is visible to other users of this machine in the process list (ps): prefer the " +
                      "environment variable, --api-key-file or --api-key -.",
    };

    public static Option<string?> ApiKeyFile() => Check(new Option<string?>("--api-key-file")
    {
        Description = "Read the API key from this file (its first line; e.g. a mounted Kubernetes or Docker secret).",
    }, v => File.Exists(v) ? null : Directory.Exists(v) ? $"--api-key-file '{v}' is a folder: expected a file holding the key." : $"--api-key-file '{v}' does not exist.");

    public static Option<bool> AllowUnencrypted() =>
        new("--allow-unencrypted") { Description = "Allow ws:// to a host that is not this machine (the key would travel in clear)." };

    public static Option<bool> Verbose() => new("--verbose", "-v") { Description = "Log the session to stderr (keys are never shown)." };

    public static Option<string?> Shard() => Check(new Option<string?>("--shard")
    {
        Description = "Run shard K of N (1-based, e.g. 2/8): a stable subset of the inputs, the same on every machine, for a " +
                      "Kubernetes Indexed Job, a CI matrix or a Slurm array. Use with --output-dir and --skip-existing.",
    }, v => Try(() => Engine.Jobs.Batch.Shard.Parse(v)));

    /// <summary>A boolean option that takes true or false, or nothing (true); yes/no and on/off are named as mistakes
    /// by the file argument's check.</summary>
    public static Option<bool?> Flag(string name, string description) => new(name) { Description = description + " true or false." };

    /// <summary>The longest first line read as a key (16 KB): API keys and tokens are far shorter, and a file such as
    /// /dev/zero or a log is refused instead of read without bound.</summary>
    public const int MaxKeyLength = 16 * 1024;

    /// <summary>The key: --api-key-file, --api-key - (standard input), --api-key KEY, or null (the environment).</summary>
    /// <exception cref="AsrException">InvalidInput when both are given, when the file or standard input holds no key
    /// (empty, or an empty first line: never a silent fall back to the environment variable), when its first line is
    /// longer than <see cref="MaxKeyLength"/>, or when the file cannot be read.</exception>
    public static Secret? ReadKey(string? key, string? keyFile, TextReader stdin)
    {
        if (key is not null && keyFile is not null)
            throw new AsrException(AsrErrorKind.InvalidInput, "ApiKeyTwice", "Give the key once: --api-key or --api-key-file, not both.");
        string from = keyFile is not null ? $"--api-key-file '{keyFile}'" : "Standard input (--api-key -)";
        string? text;
        if (keyFile is not null)
        {
            try
            {
                using var reader = new StreamReader(keyFile);
                text = ReadFirstLine(reader, from);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new AsrException(AsrErrorKind.InvalidInput, "ApiKeyFileUnreadable", $"{from} cannot be read: {e.Message}");
            }
        }
        else if (key == "-") text = ReadFirstLine(stdin, from);
        else if (key is null) return null;
        else text = key;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
            throw new AsrException(AsrErrorKind.InvalidInput, "ApiKeyEmpty",
                key is not null && key != "-" ? "The API key is empty." : $"{from} holds no key (it is empty, or its first line is).");
        return new Secret(text);
    }

    /// <summary>The first line, read a character at a time up to <see cref="MaxKeyLength"/>; null when there is none.</summary>
    private static string? ReadFirstLine(TextReader reader, string from)
    {
        var line = new System.Text.StringBuilder();
        for (int c; (c = reader.Read()) >= 0;)
        {
            if (c is '\n' or '\r') return line.ToString();
            if (line.Length == MaxKeyLength)
                throw new AsrException(AsrErrorKind.InvalidInput, "ApiKeyTooLong",
                    $"{from}: its first line is longer than {MaxKeyLength / 1024} KB, which is not an API key.");
            line.Append((char)c);
        }
        return line.Length == 0 ? null : line.ToString();
    }

    /// <summary>" Did you mean 'x'?" for the closest candidate within a small edit distance, or "".</summary>
    public static string Suggest(string value, IEnumerable<string> candidates)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (var c in candidates)
        {
            int d = Distance(value.ToLowerInvariant(), c.ToLowerInvariant());
            if (d < bestDistance) { best = c; bestDistance = d; }
        }
        return best is not null && bestDistance <= Math.Max(2, value.Length / 3) ? $" Did you mean '{best}'?" : "";
    }

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
        return d[a.Length, b.Length];
    }

    private static string? Try(Action parse)
    {
        try { parse(); return null; }
        catch (AsrException e) { return SecretRedactor.Redact(e.Message); }
    }

    private static Option<T> Check<T>(Option<T> o, Func<string, string?> problem)
    {
        o.Validators.Add(r =>
        {
            foreach (var t in r.Tokens)
                if (problem(t.Value) is { } message) r.AddError(message);
        });
        return o;
    }

    /// <summary>Parses <c>--provider a,b</c> into known provider names (case as registered), without repeats.</summary>
    /// <exception cref="AsrException">InvalidInput for an unknown provider, listing the known ones.</exception>
    public static IReadOnlyList<string> ParseProviders(string spec) =>
        spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(n => ProviderRegistry.Get(n).Name).Distinct().DefaultIfEmpty(ProviderRegistry.All[0].Name).ToList();

    /// <summary>Parses <c>--endpoint</c>: null when not given.</summary>
    /// <exception cref="AsrException">InvalidInput when it is not an absolute URL (the key, if any, is masked).</exception>
    public static Uri? ParseEndpoint(string? text) =>
        text is null ? null
        : Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "ws" or "wss" ? url
        : throw new AsrException(AsrErrorKind.InvalidInput, "EndpointInvalid", $"--endpoint '{SecretRedactor.Redact(text)}' is not an absolute ws:// or wss:// URL.");

    /// <summary>Parses <c>--raw ENCODING:RATE:CHANNELS</c> (rate and channels default to 16000 and 1).</summary>
    /// <exception cref="AsrException">InvalidInput (RawSpecInvalid) naming what was expected.</exception>
    public static AudioFormat? ParseRaw(string? spec)
    {
        if (string.IsNullOrWhiteSpace(spec)) return null;
        var parts = spec.Split(':');
        int rate = 16000, channels = 1;
        if (parts.Length > 3
            || (parts.Length > 1 && !int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out rate))
            || (parts.Length > 2 && !int.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out channels))
            || rate < WavReader.MinSampleRate || rate > WavReader.MaxSampleRate || channels is < 1 or > WavReader.MaxChannels)
            throw new AsrException(AsrErrorKind.InvalidInput, "RawSpecInvalid",
                $"--raw '{spec}' is not valid: expected ENCODING[:RATE[:CHANNELS]] with RATE {WavReader.MinSampleRate} to {WavReader.MaxSampleRate} Hz " +
                $"and 1 to {WavReader.MaxChannels} channels, e.g. s16le:16000:1 or mulaw:8000:2.");
        return new AudioFormat(AudioFormat.ParseEncoding(parts[0]), rate, channels);
    }

    /// <summary>Parses repeated <c>key=value</c> options.</summary>
    /// <exception cref="AsrException">InvalidInput (ProviderOptionSyntax) for one without '='.</exception>
    public static IReadOnlyDictionary<string, string> ParseOptions(string[]? values)
    {
        var d = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var v in values ?? Array.Empty<string>())
        {
            int i = v.IndexOf('=');
            if (i <= 0)
                throw new AsrException(AsrErrorKind.InvalidInput, "ProviderOptionSyntax", $"--option '{v}' is not valid: expected NAME=VALUE, e.g. -o end_signal=both.");
            d[v[..i].Trim()] = v[(i + 1)..];
        }
        return d;
    }
}
