using Microsoft.Extensions.Logging.Abstractions;
using SpeechStream.Engine.Providers;
using SpeechStream.Engine.Sessions;
using SpeechStream.Engine.Transcripts;

namespace SpeechStream.Tests;

/// <summary>A result assembler over a ledger, with no connection or socket: results are added by hand.</summary>
internal sealed class AssemblerHarness
{
    public readonly AudioLedger Ledger = new(30, 32000);
    public readonly List<Transcript> Out = new();
    public readonly ResultAssembler Assembler;
    /// <summary>Stopwatch ticks when the current connection's first audio went out (0: none yet).</summary>
    public long FirstAudioTicks;
    public long Now;

    public AssemblerHarness(bool timed, int generation = 0)
    {
        Assembler = new ResultAssembler(new TranscriptOrigin("P", "f.wav", "mix", "s1", "en", null), timed, Ledger, Out.Add, NullLogger.Instance);
        Connect(generation);
    }

    /// <summary>Begins connection <paramref name="generation"/> after the ledger's replay; no audio sent on it yet.</summary>
    public void Connect(int generation)
    {
        FirstAudioTicks = 0;
        Assembler.BeginConnection(generation, Ledger.BeginReplay());
    }

    public void Send(double seconds) => Ledger.Append(new byte[(int)(seconds * 32000)]);

    public void Add(string? key, bool final, string text, double? start = null, double? end = null) =>
        Add(new ProviderResult(key, final, text, start, end, Array.Empty<TranscriptWord>()));

    public void Add(ProviderResult r) => Assembler.Add(r, Now, FirstAudioTicks);
}
