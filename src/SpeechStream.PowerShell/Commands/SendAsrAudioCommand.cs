using System.Management.Automation;
using SpeechStream.Engine;
using SpeechStream.Engine.Audio;
using SpeechStream.Engine.Jobs;

namespace SpeechStream.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Sends audio, or the end of stream, to an open session.</para>
/// <para type="description">-Path or -LiteralPath reads audio files, converts them to the session's sample rate (mono
/// PCM s16le) and sends them paced by -Speed. -InputObject sends byte[] chunks of PCM s16le mono at the session's
/// sample rate, as given, from the pipeline. -EndOfStream tells the provider no more audio follows; read the last
/// results with Receive-AsrTranscript -Wait.</para>
/// <para type="notes">Errors: a file that cannot be read and a chunk of odd length are non-terminating (the next one is
/// sent); a session that has failed or been closed is terminating.</para>
/// </summary>
/// <example>
/// <code>$s = Connect-AsrSession -Provider Voxist -Emulate
/// Send-AsrAudio -Session $s -Path call.wav -Speed max
/// Send-AsrAudio -Session $s -EndOfStream
/// Receive-AsrTranscript -Session $s -Wait -Timeout 60
/// Disconnect-AsrSession -Session $s</code>
/// <para>A whole session by hand: connect, send a file, end the stream, wait for the results, close.</para>
/// </example>
/// <example>
/// <code>Get-Content call.raw -AsByteStream -ReadCount 3200 | Send-AsrAudio -Session $s</code>
/// <para>Raw PCM s16le 16 kHz mono in chunks of 3,200 bytes (100 ms) from the pipeline.</para>
/// </example>
[Cmdlet(VerbsCommunications.Send, "AsrAudio", DefaultParameterSetName = PathSet, HelpUri = HelpLinks.Online)]
[OutputType(typeof(void))]
public sealed class SendAsrAudioCommand : AsrCmdletBase
{
    private const string PathSet = "Path";
    private const string LiteralSet = "LiteralPath";
    private const string BytesSet = "InputObject";
    private const string EndSet = "EndOfStream";

    /// <summary>The session to send to, from Connect-AsrSession.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    public AsrSessionInfo? Session { get; set; }

    /// <summary>Audio files to send; wildcards allowed. Converted to the session's sample rate.</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = PathSet)]
    [SupportsWildcards]
    public string[]? Path { get; set; }

    /// <summary>Audio files, taken literally (no wildcards); bound from the pipeline's PSPath.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    public string[]? LiteralPath { get; set; }

    /// <summary>PCM s16le mono at the session's sample rate.</summary>
    [Parameter(Mandatory = true, ParameterSetName = BytesSet, ValueFromPipeline = true)]
    public byte[]? InputObject { get; set; }

    /// <summary>Tell the provider that no more audio follows (its own end-of-stream message).</summary>
    [Parameter(Mandatory = true, ParameterSetName = EndSet)]
    public SwitchParameter EndOfStream { get; set; }

    /// <summary>Pacing for files: 1 = real time (default), 2, 4 … or 'max'.</summary>
    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralSet)]
    [ArgumentCompleter(typeof(SpeedCompleter))]
    public string Speed { get; set; } = "1";

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var session = Session!.Session;
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
                        // An emulated session replays the first file's sidecar, as Invoke-AsrFile -Emulate does.
                        if (Engine.Hosting.SessionRegistry.CompanionOf(RunspaceId, session) is Emulator.EmulatorServer emulator
                            && emulator.TryReplaySidecarOf(file) is { } sidecar)
                            WriteVerbose($"The emulator replays {sidecar}, the transcript beside {file}.");
                        try
                        {
                            RunPumped(async (pump, lf, ct) =>
                            {
                                await using var source = await AudioInput.OpenAsync(file, null, ct).ConfigureAwait(false);
                                await FileTranscriber.StreamAsync(source, session, speed, 100, ChannelSelection.Mix,
                                    p => pump.Post(Engine.Hosting.PumpEventKind.Progress, p), ct).ConfigureAwait(false);
                                // A FLAC or MP3 that decoded short of its header: the audio read was sent, the rest is said.
                                if (source.Shortfall is { } gap) throw gap.ToException(file);
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
