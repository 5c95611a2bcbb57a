using System.Buffers.Binary;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SpeechStream.Engine.Audio;
using SpeechStream.Engine.Diagnostics;
using SpeechStream.Engine.Sessions;

namespace SpeechStream.Engine.Providers.VoxNexus;

/// <summary>What to synthesise and where to write it. Unset voice settings are left to the server.</summary>
public sealed record SpeechRequest
{
    /// <summary>Text pieces, sent as one <c>text</c> frame each; the last carries <c>is_final: true</c>.</summary>
    public required IReadOnlyList<string> Texts { get; init; }
    /// <summary>The WAV file to write (overwritten).</summary>
    public required string OutFile { get; init; }
    /// <summary><c>voice_id</c>, e.g. <c>vl-xiaoxiao</c> (seed 003_…).</summary>
    public string? Voice { get; init; }
    /// <summary>BCP-47 language, e.g. <c>zh-CN</c>.</summary>
    public string? Language { get; init; }
    /// <summary>Requested sample rate in Hz (default 16000); the file uses the rate the server reports.</summary>
    public int SampleRate { get; init; } = 16000;
    /// <summary>Speaking rate, 1.0 = normal.</summary>
    public double? Speed { get; init; }
    /// <summary>Pitch shift, 0 = normal.</summary>
    public double? Pitch { get; init; }
    /// <summary>Volume, 1.0 = normal.</summary>
    public double? Volume { get; init; }
    /// <summary><c>voice_config.style</c>, e.g. cheerful.</summary>
    public string? Style { get; init; }
    /// <summary><c>voice_config.role</c>, e.g. Girl.</summary>
    public string? Role { get; init; }
    /// <summary><c>voice_config.degree</c>, style intensity.</summary>
    public double? Degree { get; init; }
    /// <summary>API key; <c>VOXNEXUS_API_KEY</c> when null.</summary>
    public Secret? ApiKey { get; init; }
    /// <summary><c>token</c> (query, default) or <c>header</c> (X-Api-Key).</summary>
    public string? AuthMode { get; init; }
    /// <summary>Custom ws(s):// TTS endpoint; default <c>wss://api.voxnexus.ai/v1/tts/realtime</c>.</summary>
    public Uri? Endpoint { get; init; }
    /// <summary>Allow ws:// to a host that is not loopback (the key would travel in clear).</summary>
    public bool AllowUnencrypted { get; init; }
    /// <summary>Longest silence from the server while waiting for audio. Default 30 s.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>The file written: its format and how much audio it holds.</summary>
public sealed record SpeechResult(string Path, int SampleRate, int Channels, int BitsPerSample, double DurationSeconds,
    long AudioBytes, int Chunks, string? RequestId);

/// <summary>
/// VoxNexus realtime TTS (seed <c>003_56513c45535a0b7d.txt</c>): <c>init</c> (voice, language, format "wav",
/// sample rate, speed, pitch, volume, voice_config) → <c>ready</c> → <c>text</c> frames (the last with
/// <c>is_final</c>) → base64 <c>audio</c> frames until one has <c>is_final: true</c>. The audio is written to a WAV
/// file as it arrives (<see cref="WavFileWriter"/>). The seed does not say whether each "wav" chunk is a whole WAV
/// file or a slice of one stream: a chunk that starts with a RIFF header has it parsed (for the format) and
/// stripped, so both work; a chunk without one is PCM s16le mono at the rate <c>ready</c> reported.
/// </summary>
public static class VoxNexusSpeechSynthesizer
{
    /// <summary>The voice ids the VoxNexus document names (seed 003_…: <c>vl-xiaoxiao</c>), for tab completion; the
    /// server may have more.</summary>
    public static IReadOnlyList<string> DocumentedVoices { get; } = new[] { "vl-xiaoxiao" };

    /// <summary>The voice and language checked before connecting (README, "TTS": open lists): one that is not shaped
    /// like an id is refused; one the seed does not name is sent as given, with a note at Information (Verbose).</summary>
    private static SpeechRequest CheckValues(SpeechRequest request, ILogger log)
    {
        var d = VoxNexusProtocol.Desc;
        if (request.Voice is { } voice)
        {
            var v = ValueCheck.OpenName(d.Name, "Voice", voice, DocumentedVoices, "VoiceMalformed");
            if (v.Note is { } note) log.LogInformation("{Note}", note);
            request = request with { Voice = v.Value };
        }
        if (!string.IsNullOrWhiteSpace(request.Language))
        {
            var l = ValueCheck.Language(d, request.Language);
            if (l.Note is { } note) log.LogInformation("{Note}", note);
            request = request with { Language = l.Value };
        }
        return request;
    }

    /// <exception cref="AsrException">InvalidInput (no text, no key, bad endpoint, a voice or language that is not one
    /// word (VoiceMalformed, LanguageMalformed: before connecting); error frame VOICE_NOT_FOUND),
    /// Authentication, Connection, Provider (error frame, close before the final audio: the file keeps what
    /// arrived), Timeout.</exception>
    public static async Task<SpeechResult> SynthesizeAsync(SpeechRequest request, ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default)
    {
        var d = VoxNexusProtocol.Desc;
        var log = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger(typeof(VoxNexusSpeechSynthesizer));
        var texts = request.Texts.Where(t => !string.IsNullOrWhiteSpace(t)).ToList();
        if (texts.Count == 0)
            throw new AsrException(AsrErrorKind.InvalidInput, "TextMissing", "There is no text to synthesise: pass -Text or pipe strings in.") { Provider = d.Name };
        request = CheckValues(request, log);
        var key = Sessions.ResolvedSettings.KeyOrEnvironment(d, request.ApiKey)
            ?? throw new AsrException(AsrErrorKind.InvalidInput, "ApiKeyMissing",
                $"No API key for VoxNexus: pass -ApiKey/--api-key or set {d.ApiKeyVariable}.") { Provider = d.Name };
        string auth = (request.AuthMode ?? "token").ToLowerInvariant();
        if (!d.AuthModes.Contains(auth))
            throw new AsrException(AsrErrorKind.InvalidInput, "AuthModeUnknown", $"VoxNexus does not support auth mode '{request.AuthMode}'. Expected one of: {string.Join(", ", d.AuthModes)}.") { Provider = d.Name };
        var endpoint = request.Endpoint ?? VoxNexusProtocol.TtsEndpoint;
        if (endpoint.Scheme is not ("ws" or "wss"))
            throw new AsrException(AsrErrorKind.InvalidInput, "EndpointInvalid", $"Endpoint '{SecretRedactor.Redact(endpoint)}' must be a ws:// or wss:// URL.") { Provider = d.Name };

        ResolvedSettings.RequireEncryption(d.Name, endpoint, request.AllowUnencrypted);
        var options = new SessionOptions { Provider = d.Name };
        var connect = VoxNexusProtocol.BuildRequest(endpoint, auth, key);
        log.LogInformation("Connecting to VoxNexus TTS at {Uri}", connect.DisplayUri);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        var socket = await WebSocketOpener.OpenAsync(d, connect, options, cancellationToken, timeout.Token).ConfigureAwait(false);
        var ws = socket.WebSocket;
        try
        {
            var ready = await VoxNexusProtocol.SendInitAndWaitReadyAsync(socket, InitMessage(request), log, cancellationToken).ConfigureAwait(false);
            int rate = (int)(ready.Num("sample_rate") ?? request.SampleRate);
            string? requestId = ready.Str("request_id");
            for (int i = 0; i < texts.Count; i++)
                await socket.SendTextAsync(JsonSerializer.Serialize(new VoxNexusTextFrame { Text = texts[i], IsFinal = i == texts.Count - 1 }, EngineJsonContext.Default.VoxNexusTextFrame), cancellationToken).ConfigureAwait(false);
            log.LogDebug("Sent {Count} text frame(s), {Chars} characters.", texts.Count, texts.Sum(t => t.Length));

            WavFileWriter? wav = null;
            int chunks = 0;
            try
            {
                while (true)
                {
                    using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    idle.CancelAfter(request.IdleTimeout);
                    ReceivedFrame frame;
                    try { frame = await socket.ReceiveAsync(idle.Token).ConfigureAwait(false); }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        throw new AsrException(AsrErrorKind.Timeout, "TtsTimeout",
                            $"VoxNexus sent nothing for {request.IdleTimeout.TotalSeconds:0} s before the final audio; '{request.OutFile}' keeps the {chunks} chunk(s) received.") { Provider = d.Name };
                    }
                    catch (WebSocketException e)
                    {
                        throw new AsrException(AsrErrorKind.Connection, "ConnectionLost",
                            $"The connection to VoxNexus TTS was lost: {e.Message}; '{request.OutFile}' keeps the {chunks} chunk(s) received.", e) { Provider = d.Name, IsTransient = true };
                    }
                    if (frame.Type == WebSocketMessageType.Close)
                        throw new AsrException(AsrErrorKind.Provider, "TtsClosedEarly",
                            $"VoxNexus closed the connection ({(int)(ws.CloseStatus ?? 0)}) before the final audio; '{request.OutFile}' keeps the {chunks} chunk(s) received.") { Provider = d.Name };
                    if (frame.Type != WebSocketMessageType.Text || frame.Oversized) continue;
                    using var doc = ProviderProtocol.TryParseJson(frame.Text);
                    if (doc is null) continue;
                    var root = doc.RootElement;
                    string? type = root.Str("type");
                    if (type == "error") throw VoxNexusProtocol.ErrorFrom(root);
                    if (type != "audio") continue;
                    byte[] bytes;
                    try { bytes = Convert.FromBase64String(root.Str("data") ?? ""); }
                    catch (FormatException)
                    {
                        throw new AsrException(AsrErrorKind.Provider, "TtsAudioInvalid", "VoxNexus sent an audio frame whose data is not base64.") { Provider = d.Name };
                    }
                    var pcm = StripWavHeader(bytes, ref rate, out int channels, out int bits);
                    wav ??= new WavFileWriter(request.OutFile, rate, channels, bits);
                    await wav.AppendAsync(pcm, cancellationToken).ConfigureAwait(false);
                    chunks++;
                    if (root.Bool("is_final") == true) break;
                }
                wav ??= new WavFileWriter(request.OutFile, rate);
                log.LogInformation("Wrote {Path}: {Seconds:0.00} s of audio at {Rate} Hz from {Chunks} chunk(s).", request.OutFile, wav.DurationSeconds, wav.SampleRate, chunks);
                var result = new SpeechResult(request.OutFile, wav.SampleRate, wav.Channels, wav.BitsPerSample,
                    Math.Round(wav.DurationSeconds, 3), wav.DataBytes, chunks, requestId);
                try
                {
                    using var close = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                    await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", close.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is WebSocketException or OperationCanceledException) { }
                return result;
            }
            finally
            {
                if (wav is not null) await wav.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            ws.Abort();
            ws.Dispose();
        }
    }

    /// <summary>The TTS <c>init</c>: only the settings given, plus <c>format</c> "wav" and the sample rate.</summary>
    public static string InitMessage(SpeechRequest r)
    {
        var vc = new VoxNexusVoiceConfig(NullIfEmpty(r.Style), NullIfEmpty(r.Role), r.Degree);
        var init = new VoxNexusTtsInit
        {
            VoiceId = NullIfEmpty(r.Voice),
            Language = NullIfEmpty(r.Language),
            SampleRate = r.SampleRate,
            Speed = r.Speed,
            Pitch = r.Pitch,
            Volume = r.Volume,
            VoiceConfig = vc is { Style: null, Role: null, Degree: null } ? null : vc,
        };
        return JsonSerializer.Serialize(init, EngineJsonContext.Default.VoxNexusTtsInit);
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    /// <summary>Returns the samples of a chunk: after the <c>data</c> chunk header when it starts with a RIFF
    /// header (whose fmt sets rate, channels and bits), else the chunk itself (PCM s16le mono).</summary>
    internal static ReadOnlyMemory<byte> StripWavHeader(byte[] chunk, ref int rate, out int channels, out int bits)
    {
        channels = 1;
        bits = 16;
        if (chunk.Length < 12 || !chunk.AsSpan(0, 4).SequenceEqual("RIFF"u8) || !chunk.AsSpan(8, 4).SequenceEqual("WAVE"u8)) return chunk;
        int pos = 12;
        while (pos + 8 <= chunk.Length)
        {
            var id = chunk.AsSpan(pos, 4);
            int size = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(chunk.AsSpan(pos + 4)), int.MaxValue - 16);
            if (id.SequenceEqual("fmt "u8) && pos + 24 <= chunk.Length)
            {
                channels = Math.Max(1, (int)BinaryPrimitives.ReadUInt16LittleEndian(chunk.AsSpan(pos + 10)));
                rate = (int)BinaryPrimitives.ReadUInt32LittleEndian(chunk.AsSpan(pos + 12));
                bits = BinaryPrimitives.ReadUInt16LittleEndian(chunk.AsSpan(pos + 22)) is var b and (8 or 16 or 24 or 32) ? b : 16;
            }
            if (id.SequenceEqual("data"u8)) return chunk.AsMemory(pos + 8);
            pos += 8 + size + (size & 1);
        }
        return ReadOnlyMemory<byte>.Empty; // a header with no data chunk yet
    }
}
