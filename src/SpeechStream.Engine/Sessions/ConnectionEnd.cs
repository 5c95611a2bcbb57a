namespace SpeechStream.Engine.Sessions;

/// <summary>How one connection ended (<paramref name="Kind"/>), and the error that ended it, if any.</summary>
/// <param name="ResultsOwed">For <see cref="ConnectionEndKind.ClosedWithoutCompletion"/>: the close left results owed
/// (<see cref="CompletionPolicy.LeavesResultsOwed"/>), so a reconnect may recover them.</param>
internal sealed record ConnectionEnd(ConnectionEndKind Kind, AsrException? Error = null, bool ResultsOwed = false);
