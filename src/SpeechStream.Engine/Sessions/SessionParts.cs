using System.Diagnostics;
using Microsoft.Extensions.Logging;
using SpeechStream.Engine.Providers;

namespace SpeechStream.Engine.Sessions;

/// <summary>The parts of one session that its connections share: the protocol, the options, the outbound queue, the
/// ledger of audio, the result assembler, the clock and the log. Made by <see cref="AsrSession"/>; each part has its
/// own owner (see each class). The session's state is not here: the <see cref="SessionSupervisor"/> owns it.</summary>
internal sealed class SessionParts
{
    private int _keepAlives;

    public required ProviderProtocol Protocol { get; init; }
    public required SessionOptions Options { get; init; }
    public required ResolvedSettings Settings { get; init; }
    public required AudioQueue Queue { get; init; }
    public required AudioLedger Ledger { get; init; }
    public required ResultAssembler Assembler { get; init; }
    /// <summary>The session clock: every <c>…Ticks</c> value of the session is Stopwatch ticks of this clock.</summary>
    public required Stopwatch Clock { get; init; }
    public required ILogger Log { get; init; }
    public required string SessionId { get; init; }

    /// <summary>Silence chunks sent to keep an idle connection alive (counted by the connection writer).</summary>
    public int KeepAlives => Volatile.Read(ref _keepAlives);

    /// <summary>The connection writer sent a keepalive silence chunk.</summary>
    public void CountKeepAlive() => Interlocked.Increment(ref _keepAlives);

    public string Provider => Protocol.Name;

    /// <summary>PCM s16le mono bytes per second at the session's rate.</summary>
    public int BytesPerSecond => Settings.SampleRate * 2;

    /// <summary>Audio sent that no final covers yet, in seconds.</summary>
    public double TailSeconds => Math.Max(0, Ledger.Sent - Ledger.Delivered);
}
