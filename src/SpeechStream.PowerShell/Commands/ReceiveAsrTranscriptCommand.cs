using System.Management.Automation;
using SpeechStream.Engine;
using SpeechStream.Engine.Sessions;
using SpeechStream.Engine.Transcripts;

namespace SpeechStream.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Writes the transcripts a session has received.</para>
/// <para type="description">Without -Wait, writes what has arrived since the last call and returns. With -Wait,
/// keeps writing results as they arrive until the session ends (after Send-AsrAudio -EndOfStream) or -Timeout
/// seconds pass. Finals only, unless -IncludePartial. When the session has ended without a whole transcript, writes
/// the non-terminating error TranscriptIncomplete naming the audio without a confirmed final.</para>
/// </summary>
/// <example><code>Receive-AsrTranscript -Session $s -Wait -Timeout 60</code></example>
[Cmdlet(VerbsCommunications.Receive, "AsrTranscript")]
[OutputType(typeof(Transcript))]
public sealed class ReceiveAsrTranscriptCommand : AsrCmdletBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    public AsrSession? Session { get; set; }

    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>With -Wait: the most seconds to wait. Default: until the session ends.</summary>
    [Parameter]
    [ValidateRange(0, 86400)]
    public double? Timeout { get; set; }

    [Parameter]
    public SwitchParameter IncludePartial { get; set; }

    protected override void ProcessRecord()
    {
        var session = Session!;
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
