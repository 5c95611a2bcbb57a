using System.Management.Automation;
using SpeechStream.Engine;
using SpeechStream.Engine.Transcripts;

namespace SpeechStream.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Writes the transcripts a session has received.</para>
/// <para type="description">Without -Wait, writes what has arrived since the last call and returns at once. With -Wait,
/// keeps writing results as they arrive until the session ends (after Send-AsrAudio -EndOfStream) or -Timeout seconds
/// pass. Finals only, unless -IncludePartial.</para>
/// <para type="notes">Errors: when the session has ended without a whole transcript, a non-terminating
/// TranscriptIncomplete error follows the results, naming the audio without a confirmed final; a session that failed
/// writes its error (non-terminating). Ctrl+C stops waiting; the session stays open.</para>
/// </summary>
/// <example>
/// <code>$s = Connect-AsrSession -Emulate
/// Send-AsrAudio $s call.wav -Speed max
/// Send-AsrAudio $s -EndOfStream
/// Receive-AsrTranscript $s -Wait -Timeout 60 | Format-Table Start, End, Text
/// Disconnect-AsrSession $s</code>
/// <para>Waits up to a minute for the session's results.</para>
/// </example>
/// <example>
/// <code>Get-AsrSession | Receive-AsrTranscript -IncludePartial</code>
/// <para>What every open session has received so far, partial results included, without waiting.</para>
/// </example>
[Cmdlet(VerbsCommunications.Receive, "AsrTranscript", HelpUri = HelpLinks.Online)]
[OutputType(typeof(Transcript))]
public sealed class ReceiveAsrTranscriptCommand : AsrCmdletBase
{
    /// <summary>The session to read, from Connect-AsrSession or Get-AsrSession (also through the pipeline).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    public AsrSessionInfo? Session { get; set; }

    /// <summary>Keep writing results as they arrive until the session ends or -Timeout passes.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>With -Wait: the most seconds to wait. Default: until the session ends.</summary>
    [Parameter]
    [ValidateRange(0, 86400)]
    public double? Timeout { get; set; }

    /// <summary>Also write partial results (IsFinal is False).</summary>
    [Parameter]
    public SwitchParameter IncludePartial { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var session = Session!.Session;
        bool partials = IncludePartial;
        try
        {
            RunPumped(async (pump, _, ct) =>
            {
                var reader = session.Transcripts;
                void Emit(Transcript t) { if (t.IsFinal || partials) pump.Output(t); }
                if (!Wait)
                {
                    while (reader.TryRead(out var t)) Emit(t);
                }
                else
                {
                    using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    if (Timeout is double s) limit.CancelAfter(TimeSpan.FromSeconds(s));
                    try
                    {
                        await foreach (var t in reader.ReadAllAsync(limit.Token).ConfigureAwait(false)) Emit(t);
                    }
                    catch (OperationCanceledException) when (!ct.IsCancellationRequested) { } // -Timeout
                }
                if (session.Completion.IsFaulted && session.Completion.Exception?.InnerException is AsrException e)
                    pump.Post(Engine.Hosting.PumpEventKind.Error, ToErrorRecord(e, session.Id));
                else if (session.Completion.IsCompletedSuccessfully && !session.Completion.Result.IsWhole && reader.Completion.IsCompleted)
                    pump.Post(Engine.Hosting.PumpEventKind.Error, ToErrorRecord(new TranscriptIncompleteException(session.Completion.Result), session.Id));
            });
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested) { }
    }
}
