using System.Management.Automation;
using SpeechStream.Engine.Transcripts;
using SpeechStream.Engine.Transcripts.Formats;

namespace SpeechStream.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Turns transcripts from the pipeline into SRT or WebVTT subtitle text.</para>
/// <para type="description">Collects the Transcript objects of the pipeline (Invoke-AsrFile, Receive-AsrTranscript) and
/// writes one string: the subtitle document. Only final results make cues (partials are left out; finals marked
/// Unconfirmed are kept). Cues follow common practice: at most -MaxLines lines of -MaxLineLength characters (2 of 42),
/// at most -MaxCueDuration seconds (7), cut between words at the provider's word times where it gives them. A result
/// without an end time (Voxist sends starts only, iApp estimates) ends where the next result of the same speaker
/// starts, or after its estimated speaking time. With -Channel Split or diarization, each cue says who speaks
/// ("left: …" in SRT, a voice span in WebVTT). Pipe it to Set-Content to write a file.</para>
/// <para type="notes">Errors: none of its own; objects that are not transcripts are refused by parameter binding.</para>
/// </summary>
/// <example>
/// <code>Invoke-AsrFile call.wav -Emulate -Speed max | ConvertTo-AsrSubtitle -Format Srt | Set-Content call.srt</code>
/// <para>SubRip subtitles of call.wav, from the built-in emulator.</para>
/// </example>
/// <example>
/// <code>Invoke-AsrFile stereo-call.wav -Channel Split -Emulate -Speed max | ConvertTo-AsrSubtitle -Format Vtt -MaxLineLength 32 | Set-Content call.vtt</code>
/// <para>WebVTT with each side of the call labelled, in narrower lines.</para>
/// </example>
[Cmdlet(VerbsData.ConvertTo, "AsrSubtitle", HelpUri = HelpLinks.Online)]
[OutputType(typeof(string))]
public sealed class ConvertToAsrSubtitleCommand : AsrCmdletBase
{
    /// <summary>Transcripts, from the pipeline.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    public Transcript[]? InputObject { get; set; }

    /// <summary>Srt (SubRip, default) or Vtt (WebVTT).</summary>
    [Parameter]
    [ValidateSet("Srt", "Vtt", IgnoreCase = true)]
    public string Format { get; set; } = "Srt";

    /// <summary>Characters per line, at most (default 42).</summary>
    [Parameter]
    [ValidateRange(10, 200)]
    public int MaxLineLength { get; set; } = 42;

    /// <summary>Lines per cue, at most (default 2).</summary>
    [Parameter]
    [ValidateRange(1, 5)]
    public int MaxLines { get; set; } = 2;

    /// <summary>Seconds a cue stays on screen, at most (default 7).</summary>
    [Parameter]
    [ValidateRange(1.0, 30.0)]
    public double MaxCueDuration { get; set; } = 7;

    private readonly List<Transcript> _items = new();

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (InputObject is not null) _items.AddRange(InputObject.Where(t => t is not null && t.IsFinal));
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        var text = new StringWriter { NewLine = "\n" };
        var layout = new SubtitleLayout { MaxLineLength = MaxLineLength, MaxLines = MaxLines, MaxCueSeconds = MaxCueDuration };
        var writer = new SubtitleWriter(text, Format.Equals("Vtt", StringComparison.OrdinalIgnoreCase) ? SubtitleFormat.Vtt : SubtitleFormat.Srt, layout);
        // Several files or sessions: each session in time order, as it arrived.
        foreach (var t in _items.Select((t, i) => (t, i)).OrderBy(x => x.t.Source).ThenBy(x => x.t.Start ?? double.MaxValue).ThenBy(x => x.i).Select(x => x.t))
            writer.Write(t);
        writer.Complete();
        WriteObject(text.ToString());
    }
}
