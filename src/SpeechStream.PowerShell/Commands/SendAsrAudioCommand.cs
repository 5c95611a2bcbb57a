using System.Management.Automation;
using SpeechStream.Engine;
using SpeechStream.Engine.Audio;
using SpeechStream.Engine.Jobs;
using SpeechStream.Engine.Sessions;

namespace SpeechStream.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Sends audio, or the end of stream, to an open session.</para>
/// <para type="description">-Path/-LiteralPath reads a WAV file, converts it to the session's rate (mono
/// PCM s16le) and sends it paced by -Speed. -InputObject sends byte[] chunks of PCM s16le mono at the session's
/// sample rate, as given. -EndOfStream tells the provider no more audio follows.</para>
/// </summary>
/// <example><code>Send-AsrAudio -Session $s -Path call.wav; Send-AsrAudio -Session $s -EndOfStream</code></example>
[Cmdlet(VerbsCommunications.Send, "AsrAudio", DefaultParameterSetName = PathSet)]
[OutputType(typeof(void))]
public sealed class SendAsrAudioCommand : AsrCmdletBase
{
    private const string PathSet = "Path";
    private const string LiteralSet = "LiteralPath";
    private const string BytesSet = "InputObject";
    private const string EndSet = "EndOfStream";

    [Parameter(Mandatory = true, Position = 0)]
    public AsrSession? Session { get; set; }

    [Parameter(Mandatory = true, Position = 1, ParameterSetName = PathSet)]
    [SupportsWildcards]
    public string[]? Path { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = LiteralSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    public string[]? LiteralPath { get; set; }

    /// <summary>PCM s16le mono at the session's sample rate.</summary>
    [Parameter(Mandatory = true, ParameterSetName = BytesSet, ValueFromPipeline = true)]
    public byte[]? InputObject { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = EndSet)]
    public SwitchParameter EndOfStream { get; set; }

    /// <summary>Pacing for files: 1 = real time (default), 2, 4 … or 'max'.</summary>
    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralSet)]
    public string Speed { get; set; } = "1";

    protected override void ProcessRecord()
    {
        var session = Session!;
        try
        {
            switch (ParameterSetName)
            {
                case EndSet:
                    RunPumped((_, _, ct) => session.SendEndOfStreamAsync(ct).AsTask());
                    break;
                case BytesSet:
                    if (InputObject is { Length: > 0 } bytes)
                    {
                        if (bytes.Length % 2 != 0)
                        {
                            WriteError(new ErrorRecord(new ArgumentException($"-InputObject has {bytes.Length} bytes; PCM s16le needs an even count."),
                                "AudioChunkOddLength", ErrorCategory.InvalidArgument, bytes.Length));
                            return;
                        }
                        RunPumped((_, _, ct) => session.SendAudioAsync(bytes, ct).AsTask());
                    }
                    break;
                default:
                    double speed = Pacer.ParseSpeed(Speed);
                    foreach (var file in ResolvePaths(ParameterSetName == LiteralSet ? LiteralPath : Path, ParameterSetName == LiteralSet))
                    {
                        try
                        {
                            RunPumped(async (pump, lf, ct) =>
                            {
                                await using var source = await AudioInput.OpenAsync(file, null, ct).ConfigureAwait(false);
                                await FileTranscriber.StreamAsync(source, session, speed, 100, ChannelSelection.Mix,
                                    p => pump.Post(Engine.Hosting.PumpEventKind.Progress, p), ct).ConfigureAwait(false);
                            });
                        }
                        catch (AsrException e) when (e.Kind == AsrErrorKind.AudioFormat)
                        {
                            WriteError(ToErrorRecord(e, file));
                        }
                    }
                    break;
            }
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested) { }
        catch (AsrException e)
        {
            ThrowTerminatingError(ToErrorRecord(e, session.Id));
        }
        catch (InvalidOperationException e)
        {
            WriteError(new ErrorRecord(e, "SessionNotAcceptingAudio", ErrorCategory.InvalidOperation, session.Id));
        }
    }
}
