using System.Diagnostics;
using Microsoft.Extensions.Logging;
using SpeechStream.Engine.Providers;

namespace SpeechStream.Engine.Sessions;

/// <summary>State of a session, as <c>Get-AsrSession</c> shows it.</summary>
public enum SessionState { Connecting, Streaming, Draining, Reconnecting, Completed, Incomplete, Failed, Closed }

/// <summary>The parts of one session that its connections share: the protocol, the options, the outbound queue, the
/// ledger of audio, the result assembler, the clock, the log, and the state shown to users. Made by
/// <see cref="AsrSession"/>; each part has its own owner (see each class).</summary>
internal sealed class SessionParts
{
    public required ProviderProtocol Protocol { get; init; }
    public required SessionOptions Options { get; init; }
    public required ResolvedSettings Settings { get; init; }
    public required AudioQueue Queue { get; init; }
    public required AudioLedger Ledger { get; init; }
    public required ResultAssembler Assembler { get; init; }
    public required Stopwatch Clock { get; init; }
    public required ILogger Log { get; init; }
    public required string SessionId { get; init; }

    private volatile SessionState _state = SessionState.Connecting;
    public SessionState State { get => _state; set => _state = value; }

    /// <summary>Silence chunks sent to keep an idle connection alive.</summary>
    public int KeepAlives;

    public string Provider => Protocol.Name;

    /// <summary>PCM s16le mono bytes per second at the session's rate.</summary>
    public int BytesPerSecond => Settings.SampleRate * 2;

    /// <summary>Audio sent that no final covers yet, in seconds.</summary>
    public double Tail => Math.Max(0, Ledger.Sent - Ledger.Delivered);
}
