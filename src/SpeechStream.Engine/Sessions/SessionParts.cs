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

    /// <summary>The provider's protocol (frames, parsers, close codes).</summary>
    public required ProviderProtocol Protocol { get; init; }
    /// <summary>The caller's options.</summary>
    public required SessionOptions Options { get; init; }
    /// <summary>The options resolved against the provider (language, rate, key, endpoint).</summary>
    public required ResolvedSettings Settings { get; init; }
    /// <summary>The outbound FIFO: the caller writes, the connection writer reads.</summary>
    public required AudioQueue Queue { get; init; }
    /// <summary>The audio on the file's timeline: sent, delivered, kept for replay.</summary>
    public required AudioLedger Ledger { get; init; }
    /// <summary>Turns results into transcripts; written by one receive loop at a time, then by the supervisor.</summary>
    public required ResultAssembler Assembler { get; init; }
    /// <summary>The session clock: every <c>…Ticks</c> value of the session is Stopwatch ticks of this clock.</summary>
    public required Stopwatch Clock { get; init; }
    /// <summary>The session's log.</summary>
    public required ILogger Log { get; init; }
    /// <summary>Our id for the session.</summary>
    public required string SessionId { get; init; }

    /// <summary>Silence chunks sent to keep an idle connection alive (counted by the connection writer).</summary>
    public int KeepAlives => Volatile.Read(ref _keepAlives);

    /// <summary>The connection writer sent a keepalive silence chunk.</summary>
    public void CountKeepAlive() => Interlocked.Increment(ref _keepAlives);

    /// <summary>The provider's name.</summary>
    public string Provider => Protocol.Name;

    /// <summary>PCM s16le mono bytes per second at the session's rate.</summary>
    public int BytesPerSecond => Settings.SampleRate * 2;

    /// <summary>Audio sent that no final covers yet, in seconds.</summary>
    public double TailSeconds => Math.Max(0, Ledger.SentSeconds - Ledger.DeliveredSeconds);
}
