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
/// <para type="description">-ThrottleLimit runs several files at once; the rows of each keep their Source. -OutputFolder
/// writes one file per input instead of rows (CSV with Export-Csv's columns, JSON lines, text, SRT or WebVTT, by
/// -OutputFormat), each renamed into place only when the input is done, and writes the FileInfo of each;
/// -SkipExisting skips inputs whose whole transcript is already there. A batch shows a progress bar for the whole and
/// one per running file.</para>
/// <para type="notes">Errors: a file that cannot be read (AudioNotWav, AudioFileNotFound, AudioPathIsFolder for a folder, …), a provider that fails on a
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
/// <code>Get-ChildItem archive\*.wav | Invoke-AsrFile -Emulate -ThrottleLimit 8 -OutputFolder out -OutputFormat Csv -SkipExisting</code>
/// <para>A batch: 8 files at once, one CSV per file in out (written when the file is done; an incomplete one is named
/// NAME.incomplete.csv), skipping files already done, so that the same command resumes a batch that stopped.</para>
/// </example>
/// <example>
/// <code>Invoke-AsrFile call.wav -ApiKey (Get-Secret Voxist) -ErrorAction Stop | Export-Csv call.csv</code>
/// <para>A key from SecretManagement; -ErrorAction Stop turns an incomplete transcript into a terminating error, for scripts that must not go on.</para>
/// </example>
[Cmdlet(VerbsLifecycle.Invoke, "AsrFile", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, HelpUri = HelpLinks.Online)]
[OutputType(typeof(Transcript), typeof(FileInfo))]
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

    /// <summary>One provider, or several to send the same audio to each at once; Voxist when absent.</summary>
    [Parameter(Position = 1)]
    [ArgumentCompleter(typeof(ProviderNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Provider { get; set; } = { ProviderRegistry.DefaultProvider };

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


    /// <summary>Files transcribed at once, each with all its providers (default 1).</summary>
    [Parameter]
    [ValidateRange(1, 256)]
    public int ThrottleLimit { get; set; } = 1;

    /// <summary>Write one file per input into this folder (NAME.csv, NAME.jsonl, NAME.txt, NAME.srt or NAME.vtt, by
    /// -OutputFormat) instead of writing rows, and write each file's FileInfo. A transcript that is not whole is named
    /// NAME.incomplete.EXT.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutputFolder { get; set; }

    /// <summary>With -OutputFolder: Csv (Export-Csv's columns, default), Jsonl, Text, Srt or Vtt.</summary>
    [Parameter]
    [ValidateSet("Csv", "Jsonl", "Text", "Srt", "Vtt", IgnoreCase = true)]
    public string OutputFormat { get; set; } = "Csv";

    /// <summary>With -OutputFolder: skip inputs whose whole transcript is already there (resumes a batch).</summary>
    [Parameter]
    public SwitchParameter SkipExisting { get; set; }

    private readonly List<string> _batch = new();
    private bool Batched => ThrottleLimit > 1 || OutputFolder is not null;

    /// <inheritdoc/>
    protected override void BeginProcessing()
    {
        if (SkipExisting && OutputFolder is null)
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("-SkipExisting needs -OutputFolder: it skips inputs whose output file is there."),
                "SkipExistingNeedsOutputFolder", ErrorCategory.InvalidArgument, null));
    }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var files = ResolvePaths(ParameterSetName == LiteralSet ? LiteralPath : Path, ParameterSetName == LiteralSet);
        if (Batched) _batch.AddRange(files); // run at once in EndProcessing, where the total is known
        else RunBatch(files);
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        if (Batched && _batch.Count > 0) RunBatch(_batch);
    }

    /// <summary>Runs files through the engine's batch job; rows, progress and errors come out on this thread.</summary>
    private void RunBatch(List<string> files)
    {
        if (files.Count == 0 || StopToken.IsCancellationRequested) return;
        TranscriptionJob job;
        Engine.Jobs.Batch.OutputFolder? folder = null;
        try
        {
            job = BuildJob();
            foreach (var note in job.Validate()) WriteVerbose(note); // every provider's settings, before anything connects
            if (OutputFolder is not null)
            {
                string target = SessionState.Path.GetUnresolvedProviderPathFromPSPath(OutputFolder);
                folder = new Engine.Jobs.Batch.OutputFolder(target, Engine.Transcripts.Formats.TranscriptWriter.ParseFormat(OutputFormat));
                files = files.Where(f => ShouldProcess(f, $"Transcribe into {folder.CompletePath(f)}")).ToList();
            }
            else
            {
                // The whole operation of each file is what -WhatIf and -Confirm ask about: a real provider bills it.
                string by = string.Join(", ", job.Providers) + (job.Emulators is null ? "" : " (emulated)");
                files = files.Where(f => ShouldProcess(f, $"Transcribe with {by}")).ToList();
            }
            if (files.Count == 0) return;
        }
        catch (AsrException e) { ThrowTerminatingError(ToErrorRecord(e, Speed)); return; }
        Exception? fatal = null;
        var progress = new BatchProgressRecords(files.Count);
        try
        {
            RunPumped(async (pump, lf, ct) =>
            {
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
                var runner = new Engine.Jobs.Batch.BatchRunner
                {
                    Job = job, Parallel = ThrottleLimit, Output = folder, SkipExisting = SkipExisting,
                    Sink = folder is null ? pump.Output : null,
                    OnProgress = files.Count > 1 ? p => pump.Post(PumpEventKind.Progress, progress.Parent(p)) : null,
                    OnFileProgress = p => pump.Post(PumpEventKind.Progress, progress.Child(p, files.Count > 1)),
                    OnFileDone = r =>
                    {
                        if (files.Count > 1) pump.Post(PumpEventKind.Progress, progress.ChildDone(r.Input));
                        if (IsFatal(r, job.Providers.Count) is { } f) { fatal ??= f; stop.Cancel(); }
                        pump.Post(PumpEventKind.Call, (Action)(() => Report(r, job.Providers.Count)));
                    },
                };
                var summary = await runner.RunAsync(files, lf, stop.Token).ConfigureAwait(false);
                if (files.Count > 1) pump.Post(PumpEventKind.Progress, progress.ParentDone());
                pump.Post(PumpEventKind.Verbose, $"Invoke-AsrFile: {summary.Describe(System.Globalization.CultureInfo.CurrentCulture)}.");
            });
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested) { return; }
        catch (AsrException e) { ThrowTerminatingError(ToErrorRecord(e, (object?)OutputFolder ?? files[0])); }
        if (fatal is not null) ThrowTerminatingError(ToErrorRecord(fatal, files[0]));
    }

    /// <summary>A key or a setting the only provider refuses: every file would meet it again.</summary>
    private static Exception? IsFatal(Engine.Jobs.Batch.BatchFileResult r, int providers) =>
        providers == 1 && r.Outcome?.Providers.Select(o => o.Problem).FirstOrDefault(p => p is AsrException { Kind: AsrErrorKind.Authentication or AsrErrorKind.InvalidInput }) is { } p ? p : null;

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

    /// <summary>One error record per problem of the file, non-terminating (the other files go on; a fatal one stops
    /// the batch after it, see <see cref="IsFatal"/>); with -OutputFolder, the FileInfo of what was written.</summary>
    private void Report(Engine.Jobs.Batch.BatchFileResult result, int providers)
    {
        if (result.Skipped)
        {
            WriteVerbose($"Skipped {result.Input}: {result.OutputPath} is there.");
            return;
        }
        var outcome = result.Outcome!;
        if (outcome.InputError is { } bad) WriteError(ToErrorRecord(bad, outcome.Source));
        var fatal = IsFatal(result, providers); // thrown as terminating once the batch has stopped
        foreach (var o in outcome.Providers)
        {
            if (o.Problem is not { } problem || problem is OperationCanceledException || problem == fatal) continue;
            WriteError(ToErrorRecord(problem, outcome.Source));
        }
        foreach (var v in outcome.EmulatorViolations) WriteWarning($"The emulator saw a protocol violation: {v}");
        if (result.OutputPath is { } written) WriteObject(ItemOf(written));
    }

    /// <summary>The written file as Get-Item gives it: through the FileSystem provider, so it carries PSPath,
    /// PSParentPath and, off Windows, the UnixStat that the FileSystem table's Mode, User, Group and Size columns read
    /// (a bare FileInfo shows them empty).</summary>
    private object ItemOf(string path)
    {
        try
        {
            if (InvokeProvider.Item.Get(new[] { path }, true, true) is { Count: 1 } items) return items[0];
        }
        catch (Exception e) when (e is ProviderInvocationException or ItemNotFoundException or IOException or UnauthorizedAccessException)
        {
            WriteVerbose($"Cannot read {path} through the FileSystem provider ({e.Message}): writing its FileInfo.");
        }
        return new FileInfo(path);
    }
}
