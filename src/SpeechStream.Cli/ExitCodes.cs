using SpeechStream.Engine;
using SpeechStream.Engine.Jobs;

namespace SpeechStream.Cli;

/// <summary>Exit codes of <c>speechstream</c>: the verdict of the run (<see cref="Verdicts.ExitCode"/>). With several
/// files, providers or channels the worst verdict wins, in this order: 130 cancelled, 2 bad usage or input, 3 key
/// refused, 4 provider unreachable or refusing, 5 transcript incomplete, 0 whole. A stop from outside says how:
/// 130 Ctrl+C (SIGINT), 143 SIGTERM, 129 SIGHUP (a closed terminal), 141 standard output closed (as SIGPIPE would);
/// 74 standard output could not be written (a full disk, an I/O error: EX_IOERR of sysexits.h).</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Usage = 2;
    public const int Auth = 3;
    public const int Failure = 4;
    public const int Incomplete = 5;
    public const int OutputFailed = 74;
    public const int HangUp = 129;
    public const int Cancelled = 130;
    public const int StdoutClosed = 141;
    public const int Terminated = 143;

    public static int For(AsrException e) => Verdicts.ExitCode(Verdicts.Of(e));
}
