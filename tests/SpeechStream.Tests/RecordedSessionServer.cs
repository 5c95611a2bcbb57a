using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using SpeechStream.Emulator;

namespace SpeechStream.Tests;

/// <summary>One frame of a recorded session: its text, verbatim; when it goes out (<c>open</c>: after the upgrade;
/// <c>end</c>: after the client's end of stream); and a pause before it, in milliseconds.</summary>
internal sealed record RecordedFrame(string When, string Text, int DelayMs);

/// <summary>A provider's server frames from a public repository (tests/fixtures/recorded, each file naming its
/// source), what the transcript must read, and whether the server then closes (1000) or holds the socket open.</summary>
internal sealed record RecordedSession(string Provider, string Source, int? Close, IReadOnlyList<string> Expect, IReadOnlyList<RecordedFrame> Frames)
{
    public static RecordedSession Load(string name)
    {
        string path = Path.Combine(Fixtures.Root, "tests", "fixtures", "recorded", name);
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var r = doc.RootElement;
        return new RecordedSession(
            r.GetProperty("provider").GetString()!,
            r.GetProperty("source").GetString()!,
            r.GetProperty("close").ValueKind == JsonValueKind.Number ? r.GetProperty("close").GetInt32() : null,
            r.GetProperty("expect").EnumerateArray().Select(e => e.GetString()!).ToList(),
            r.GetProperty("frames").EnumerateArray().Select(f => new RecordedFrame(
                f.GetProperty("when").GetString()!, f.GetProperty("text").GetString()!,
                f.TryGetProperty("delay_ms", out var d) ? d.GetInt32() : 0)).ToList());
    }
}

/// <summary>
/// A plain WebSocket server that plays a <see cref="RecordedSession"/> verbatim: it accepts any credentials and path,
/// reads the client's audio, sends the <c>open</c> frames after the upgrade and the <c>end</c> frames after the
/// client's end of stream (Voxist's <c>Done</c>, a Smallest <c>{"type":…}</c> frame), then closes or holds the socket
/// open until the client closes. It shares no reading of any protocol with the engine or the emulators.
/// </summary>
internal sealed class RecordedSessionServer(RecordedSession session) : ProviderEmulator
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public override string Provider => session.Provider;
    public override string WebSocketPath => "/recorded";

    /// <summary>Seconds since the server started: when the last <c>end</c> frame went out, and when the client's close came.</summary>
    public double? LastFrameSentAt { get; private set; }
    public double? ClientClosedAt { get; private set; }
    public int? ClientCloseCode { get; private set; }
    public int Connections;

    public static bool IsEndOfStream(string text) => text == "Done" || text.Contains("\"type\"", StringComparison.Ordinal);

    public override async Task HandleAsync(EmulatorServer server, HttpRequestHead request, Stream stream, CancellationToken ct)
    {
        if (!request.IsWebSocket)
        {
            await server.RespondAsync(stream, 404, "{}", request: request);
            return;
        }
        Interlocked.Increment(ref Connections);
        using var ws = await server.AcceptWebSocketAsync(stream, request);
        await SendAsync(ws, "open", ct);
        var buf = new byte[1 << 16];
        while (ws.State == WebSocketState.Open)
        {
            WebSocketReceiveResult r;
            var text = new MemoryStream();
            do
            {
                try { r = await ws.ReceiveAsync(buf, ct); }
                catch (WebSocketException) { return; }
                text.Write(buf, 0, r.Count);
            } while (!r.EndOfMessage && r.MessageType != WebSocketMessageType.Close);
            if (r.MessageType == WebSocketMessageType.Close)
            {
                (ClientClosedAt, ClientCloseCode) = (_clock.Elapsed.TotalSeconds, (int?)ws.CloseStatus);
                try { await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", ct); } catch (WebSocketException) { }
                return;
            }
            if (r.MessageType != WebSocketMessageType.Text || !IsEndOfStream(Encoding.UTF8.GetString(text.ToArray()))) continue;
            await SendAsync(ws, "end", ct);
            LastFrameSentAt = _clock.Elapsed.TotalSeconds;
            if (session.Close is int code)
            {
                await ws.CloseOutputAsync((WebSocketCloseStatus)code, "", ct);
                try { await ws.ReceiveAsync(buf, ct); } catch (WebSocketException) { }
                return;
            }
        }
    }

    private async Task SendAsync(WebSocket ws, string when, CancellationToken ct)
    {
        foreach (var f in session.Frames.Where(f => f.When == when))
        {
            if (f.DelayMs > 0) await Task.Delay(f.DelayMs, ct);
            await ws.SendAsync(Encoding.UTF8.GetBytes(f.Text), WebSocketMessageType.Text, true, ct);
        }
    }
}
