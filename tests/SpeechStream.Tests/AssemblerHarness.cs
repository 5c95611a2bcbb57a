using System.Diagnostics;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging.Abstractions;
using SpeechStream.Engine;
using SpeechStream.Engine.Diagnostics;
using SpeechStream.Engine.Jobs;
using SpeechStream.Engine.Providers;
using SpeechStream.Engine.Sessions;
using SpeechStream.Engine.Transcripts;

namespace SpeechStream.Tests;

/// <summary>A result assembler over a ledger and a connection that never opens: results are added by hand.</summary>
internal sealed class AssemblerHarness
{
    public readonly AudioLedger Ledger = new(30, 32000);
    public readonly List<Transcript> Out = new();
    public readonly ResultAssembler Assembler;
    public readonly Connection Conn;
    public long Now;

    public AssemblerHarness(bool timed, int generation = 0)
    {
        Assembler = new ResultAssembler(new TranscriptOrigin("P", "f.wav", "mix", "s1", "en", null), timed, Ledger, Out.Add, NullLogger.Instance);
        Conn = Connect(generation);
    }

    public Connection Connect(int generation)
    {
        var conn = new Connection
        {
            Generation = generation, Socket = new ProtocolSocket(new ClientWebSocket(), 1 << 20),
            Context = new ConnectContext
            {
                Options = new SessionOptions { Provider = "P" }, ApiKey = new Secret("k-000000"), AuthMode = "key",
                Endpoint = new Uri("ws://127.0.0.1/"), Http = new HttpClient(), Logger = NullLogger.Instance,
            },
        };
        Assembler.BeginConnection(conn, Ledger.BeginReplay());
        return conn;
    }

    public void Send(double seconds) => Ledger.Append(new byte[(int)(seconds * 32000)]);

    public void Add(string? key, bool final, string text, double? start = null, double? end = null) =>
        Assembler.Add(new ProviderResult(key, final, text, start, end, Array.Empty<TranscriptWord>()), Now);
}
