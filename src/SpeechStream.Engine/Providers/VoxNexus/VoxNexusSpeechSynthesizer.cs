using System.Buffers.Binary;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SpeechStream.Engine.Audio;
using SpeechStream.Engine.Diagnostics;
using SpeechStream.Engine.Sessions;

namespace SpeechStream.Engine.Providers.VoxNexus;

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
        var log = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger(typeof(VoxNexusSpeechSynthesizer));
        (request, var texts, var connect) = CheckRequest(request, log);
        var socket = await ConnectAsync(connect, log, cancellationToken).ConfigureAwait(false);
        var ws = socket.WebSocket;
        try
        {
            var ready = await VoxNexusProtocol.SendInitAndWaitReadyAsync(socket, InitMessage(request), log, cancellationToken).ConfigureAwait(false);
            int rate = (int)(ready.Num("sample_rate") ?? request.SampleRate);
            string? requestId = ready.Str("request_id");
            await SendTextsAsync(socket, texts, log, cancellationToken).ConfigureAwait(false);
            return await ReceiveAudioAsync(socket, request, rate, requestId, log, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ws.Abort();
            ws.Dispose();
        }
    }

    /// <summary>Checks a request before anything connects, in this order: some text, the voice and language
    /// (<see cref="CheckValues"/>), the key, the auth mode, the endpoint's scheme, then its encryption.</summary>
    /// <returns>The request with the voice and language as they will be sent, the texts that are not blank, and the
    /// connection to open.</returns>
    /// <exception cref="AsrException">InvalidInput: TextMissing, VoiceMalformed, LanguageMalformed, ApiKeyMissing,
    /// AuthModeUnknown, EndpointInvalid, or the refusal of an unencrypted endpoint.</exception>
    private static (SpeechRequest Request, List<string> Texts, ConnectRequest Connect) CheckRequest(SpeechRequest request, ILogger log)
    {
        var d = VoxNexusProtocol.Desc;
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
        return (request, texts, VoxNexusProtocol.BuildRequest(endpoint, auth, key));
    }

    /// <summary>Opens the TTS WebSocket within the sessions' connect timeout.</summary>
    private static async Task<ProtocolSocket> ConnectAsync(ConnectRequest connect, ILogger log, CancellationToken cancellationToken)
    {
        var d = VoxNexusProtocol.Desc;
        var options = new SessionOptions { Provider = d.Name };
        log.LogInformation("Connecting to VoxNexus TTS at {Uri}", connect.DisplayUri);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        return await WebSocketOpener.OpenAsync(d, connect, options, cancellationToken, timeout.Token).ConfigureAwait(false);
    }

    /// <summary>Sends the texts as one <c>text</c> frame each, the last with <c>is_final: true</c>.</summary>
    private static async Task SendTextsAsync(ProtocolSocket socket, List<string> texts, ILogger log, CancellationToken cancellationToken)
    {
        for (int i = 0; i < texts.Count; i++)
            await socket.SendTextAsync(JsonSerializer.Serialize(new VoxNexusTextFrame { Text = texts[i], IsFinal = i == texts.Count - 1 }, VoxNexusJsonContext.Default.VoxNexusTextFrame), cancellationToken).ConfigureAwait(false);
        log.LogDebug("Sent {Count} text frame(s), {Chars} characters.", texts.Count, texts.Sum(t => t.Length));
    }

    /// <summary>Writes the <c>audio</c> frames to <see cref="SpeechRequest.OutFile"/> as they arrive, until one has
    /// <c>is_final: true</c>, then closes the connection normally (within 1 s, quietly).</summary>
    /// <param name="rate">The sample rate <c>ready</c> reported (or the one requested), for chunks without a RIFF header.</param>
    /// <param name="requestId">The <c>request_id</c> of <c>ready</c>, for the result.</param>
    /// <exception cref="AsrException">Timeout (TtsTimeout), Connection (ConnectionLost), Provider (TtsClosedEarly,
    /// TtsAudioInvalid, an error frame): the file keeps what arrived.</exception>
    private static async Task<SpeechResult> ReceiveAudioAsync(ProtocolSocket socket, SpeechRequest request, int rate, string? requestId,
        ILogger log, CancellationToken cancellationToken)
    {
        var ws = socket.WebSocket;
        WavFileWriter? wav = null;
        int chunks = 0;
        try
        {
            while (true)
            {
                var frame = await ReceiveWithinIdleTimeoutAsync(socket, request, chunks, cancellationToken).ConfigureAwait(false);
                if (frame.Type != WebSocketMessageType.Text || frame.Oversized) continue;
                using var doc = ProviderProtocol.TryParseJson(frame.Text);
                if (doc is null) continue;
                var root = doc.RootElement;
                string? type = root.Str("type");
                if (type == "error") throw VoxNexusProtocol.ErrorFrom(root);
                if (type != "audio") continue;
                var pcm = StripWavHeader(DecodeAudio(root), ref rate, out int channels, out int bits);
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

    /// <summary>The next frame, within <see cref="SpeechRequest.IdleTimeout"/>; a close before the final audio is an
    /// error.</summary>
    /// <param name="chunks">The chunks written so far, for the messages.</param>
    /// <exception cref="AsrException">Timeout (TtsTimeout), Connection (ConnectionLost, transient), Provider
    /// (TtsClosedEarly).</exception>
    private static async Task<ReceivedFrame> ReceiveWithinIdleTimeoutAsync(ProtocolSocket socket, SpeechRequest request, int chunks,
        CancellationToken cancellationToken)
    {
        var d = VoxNexusProtocol.Desc;
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
                $"VoxNexus closed the connection ({(int)(socket.WebSocket.CloseStatus ?? 0)}) before the final audio; '{request.OutFile}' keeps the {chunks} chunk(s) received.") { Provider = d.Name };
        return frame;
    }

    /// <summary>The bytes of an <c>audio</c> frame's base64 <c>data</c> (none when it has no data).</summary>
    /// <exception cref="AsrException">Provider, TtsAudioInvalid: the data is not base64.</exception>
    private static byte[] DecodeAudio(JsonElement root)
    {
        try { return Convert.FromBase64String(root.Str("data") ?? ""); }
        catch (FormatException)
        {
            throw new AsrException(AsrErrorKind.Provider, "TtsAudioInvalid", "VoxNexus sent an audio frame whose data is not base64.") { Provider = VoxNexusProtocol.Desc.Name };
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
        return JsonSerializer.Serialize(init, VoxNexusJsonContext.Default.VoxNexusTtsInit);
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
