using System.Management.Automation;
using SpeechStream.Emulator;
using SpeechStream.Engine;
using SpeechStream.Engine.Audio;
using SpeechStream.Engine.Hosting;
using SpeechStream.Engine.Providers;
using SpeechStream.Engine.Sessions;
using SpeechStream.Engine.Jobs;
using SpeechStream.Engine.Transcripts;

namespace SpeechStream.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Transcribes audio files and writes one Transcript per final result as it arrives.</para>
/// <para type="description">Streams each file through one session per provider and writes the final results to the
/// pipeline as they arrive, each with its Provider, Source, Start and End (seconds from the start of the file), Text
/// and Words. Files come from -Path (wildcards), -LiteralPath, or the pipeline (Get-ChildItem *.wav | Invoke-AsrFile).
/// WAV in every common variant is read directly; MP3, FLAC, Ogg, M4A and other containers go through ffmpeg; headerless
/// PCM needs -RawFormat. Audio is paced at real time unless -Speed says otherwise.</para>
/// <para type="description">With several providers (-Provider Voxist,Speechall) the same audio goes to each at once,
/// so their transcripts can be compared side by side. -Channel Split sends each side of a stereo call to its own
/// session and labels the rows. -Emulate runs against the built-in emulator of each provider, replaying the file's
/// sidecar JSON transcript (call.wav -> call.json) when there is one: no account needed.</para>
/// <para type="description">A transcript is whole when the provider confirmed completion and every second of audio is
/// covered by a confirmed final. When it is not, the last partial result of each open segment is written as a final
/// with Unconfirmed set, and a TranscriptIncomplete error names the seconds without a confirmed final.</para>
/// <para type="notes">Errors: a file that cannot be read (AudioNotWav, AudioFileNotFound, …), a provider that fails on a
/// file (ConnectionFailed, …) and an incomplete transcript (TranscriptIncomplete) are non-terminating: the other files
/// and providers go on, and every row already received stays on the pipeline. A key or a setting that the only
/// provider refuses (AuthenticationFailed, ParameterNotSupported, ModelRequired, …) is terminating, since every file
/// would meet it again. Ctrl+C stops at once and closes the sessions.</para>
/// </summary>
/// <example>
/// <code>Invoke-AsrFile call.wav -Emulate -Speed max | Export-Csv call.csv</code>
/// <para>Transcribes call.wav against the built-in Voxist emulator as fast as it goes, and writes one CSV row per final result.</para>
/// </example>
/// <example>
/// <code>Get-ChildItem *.wav | Invoke-AsrFile -Provider Voxist -Language en | Export-Csv calls.csv</code>
/// <para>Every WAV file of the folder, with the key from VOXIST_API_KEY.</para>
/// </example>
/// <example>
/// <code>Invoke-AsrFile call.wav -Provider Voxist, Speechall -Model deepgram.nova-2 -Emulate -Speed max | Format-Table Provider, Start, Text</code>
/// <para>The same audio to two providers at once; -Model goes to Speechall, the provider that takes one.</para>
/// </example>
/// <example>
/// <code>Invoke-AsrFile call.wav -ApiKey (Get-Secret Voxist) -ErrorAction Stop | Export-Csv call.csv</code>
/// <para>A key from SecretManagement; -ErrorAction Stop turns an incomplete transcript into a terminating error, for scripts that must not go on.</para>
/// </example>
[Cmdlet(VerbsLifecycle.Invoke, "AsrFile", DefaultParameterSetName = PathSet)]
[OutputType(typeof(Transcript))]
public sealed class InvokeAsrFileCommand : AsrConnectingCmdletBase
{
    private const string PathSet = "Path";
    private const string LiteralSet = "LiteralPath";

    /// <summary>Audio files; wildcards allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    /// <summary>Audio files, taken literally (no wildcards). Bound from the pipeline's PSPath.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[]? LiteralPath { get; set; }

    /// <summary>One provider, or several to send the same audio to each at once.</summary>
    [Parameter(Position = 1)]
    [ArgumentCompleter(typeof(ProviderNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Provider { get; set; } = { "Voxist" };

    /// <summary>1 = real time (default), 2, 4 … or 'max'.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(SpeedCompleter))]
    public string Speed { get; set; } = "1";

    /// <summary>Also write partial results.</summary>
    [Parameter]
    public SwitchParameter IncludePartial { get; set; }

    /// <summary>Mix (default), Left, Right, or Split: one session per channel of a stereo call (Channel and Speaker
    /// say which side), results merged in time order.</summary>
    [Parameter]
    [ValidateSet("Mix", "Left", "Right", "Split", IgnoreCase = true)]
    public string Channel { get; set; } = "Mix";

    /// <summary>Headerless input: s16le, s24le, s32le, u8, f32le, f64le, mulaw or alaw (with -RawSampleRate, -RawChannels).</summary>
    [Parameter]
    [ValidateSet("s16le", "s24le", "s32le", "u8", "f32le", "f64le", "mulaw", "alaw", IgnoreCase = true)]
    public string? RawFormat { get; set; }

    /// <summary>Sample rate in Hz of headerless input (default 16000).</summary>
    [Parameter]
    [ValidateRange(WavReader.MinSampleRate, WavReader.MaxSampleRate)]
    public int RawSampleRate { get; set; } = 16000;

    /// <summary>Channels of headerless input (default 1).</summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int RawChannels { get; set; } = 1;

    /// <summary>Seconds to wait for the provider to finish after the audio.</summary>
    [Parameter]
    [ValidateRange(1, 600)]
    public double DrainTimeout { get; set; } = 30;

    /// <summary>Seconds to read on after the provider's completion message, for results sent just after it
    /// (default 0.5).</summary>
    [Parameter]
    [ValidateRange(0, 10)]
    public double CompletionGrace { get; set; } = 0.5;


    protected override void ProcessRecord()
    {
        var files = ResolvePaths(ParameterSetName == LiteralSet ? LiteralPath : Path, ParameterSetName == LiteralSet);
        TranscriptionJob job;
        try { job = BuildJob(); }
        catch (AsrException e) { ThrowTerminatingError(ToErrorRecord(e, Speed)); return; }
        foreach (var file in files)
        {
            if (StopToken.IsCancellationRequested) return;
            FileOutcome? outcome = null;
            try
            {
                RunPumped(async (pump, lf, ct) =>
                    outcome = await job.RunFileAsync(file, pump.Output, p => pump.Post(PumpEventKind.Progress, p), lf, ct).ConfigureAwait(false));
            }
            catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
            {
                return;
            }
            catch (AsrException e)
            {
                ThrowTerminatingError(ToErrorRecord(e, file)); // settings no provider accepts: no file can go on
            }
            if (outcome is not null) Report(outcome, job.Providers.Count);
        }
    }

    private TranscriptionJob BuildJob()
    {
        var providers = Provider.Select(p => ProviderRegistry.Get(p).Name).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return new TranscriptionJob
        {
            Providers = providers,
            Session = BuildSessionOptions(providers[0], drainTimeout: TimeSpan.FromSeconds(DrainTimeout)) with
            {
                CompletionGrace = TimeSpan.FromSeconds(CompletionGrace),
            },
            Channels = FileTranscriber.ParseChannelMode(Channel),
            Speed = Pacer.ParseSpeed(Speed),
            RawFormat = RawFormat is null ? null : new AudioFormat(AudioFormat.ParseEncoding(RawFormat), RawSampleRate, RawChannels),
            IncludePartials = IncludePartial,
            Emulators = EmulatorHost.Create(Emulate, EmulatorProfileList, providers),
        };
    }

    /// <summary>One error record per problem of the file: non-terminating (the other files go on), except a key or a
    /// setting the only provider refuses, which every file would meet again.</summary>
    private void Report(FileOutcome outcome, int providers)
    {
        if (outcome.InputError is { } bad)
        {
            WriteError(ToErrorRecord(bad, outcome.Source));
            return;
        }
        foreach (var o in outcome.Providers)
        {
            if (o.Problem is not { } problem || problem is OperationCanceledException) continue;
            var record = ToErrorRecord(problem, outcome.Source);
            if (providers == 1 && problem is AsrException { Kind: AsrErrorKind.Authentication or AsrErrorKind.InvalidInput }) ThrowTerminatingError(record);
            WriteError(record);
        }
        foreach (var v in outcome.EmulatorViolations) WriteWarning($"The emulator saw a protocol violation: {v}");
    }
}
