using SpeechStream.Engine.Transcripts.Formats;

namespace SpeechStream.Engine.Jobs.Batch;

/// <summary>
/// One output file per input in a folder (<c>--output-dir</c>, <c>-OutputFolder</c>): <c>call.wav</c> gives
/// <c>call.csv</c> (text: <c>call.txt</c>). Rows go to a hidden temporary file beside it (<c>.call.csv.&lt;pid&gt;.tmp</c>),
/// renamed when the input is done: to <c>call.csv</c> when the transcript is whole, to
/// <c>call.incomplete.csv</c> otherwise (a file that failed or was cancelled keeps the rows it got there), so a name
/// without <c>.incomplete</c> always means a whole transcript and a crash never leaves one behind.
/// <see cref="IsDone"/> (for <c>--skip-existing</c>) is true only for the whole one.
/// </summary>
public sealed class OutputFolder
{
    /// <summary>Outputs in <paramref name="folder"/> (made absolute), one file per input in <paramref name="format"/>.</summary>
    public OutputFolder(string folder, TranscriptFormat format)
    {
        Folder = Path.GetFullPath(folder);
        Format = format;
    }

    /// <summary>The folder, as an absolute path.</summary>
    public string Folder { get; }
    /// <summary>The format of every output file.</summary>
    public TranscriptFormat Format { get; }
    /// <summary>The output files' extension, without the dot (<c>csv</c>, <c>txt</c> …).</summary>
    public string Extension => TranscriptWriter.Extension(Format);

    /// <summary>Creates the folder if it does not exist.</summary>
    /// <exception cref="AsrException">InvalidInput (OutputFolderInvalid) when it is a file or cannot be created.</exception>
    public void Prepare()
    {
        if (File.Exists(Folder))
            throw new AsrException(AsrErrorKind.InvalidInput, "OutputFolderInvalid", $"The output folder '{Folder}' is a file: expected a folder.");
        try { Directory.CreateDirectory(Folder); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AsrException(AsrErrorKind.InvalidInput, "OutputFolderInvalid", $"Cannot create the output folder '{Folder}': {e.Message}", e);
        }
    }

    /// <summary>The output's name without extension: the input's file name without its extension.</summary>
    public static string BaseName(string input) => Path.GetFileNameWithoutExtension(input);

    /// <summary>Where the whole transcript of <paramref name="input"/> goes.</summary>
    public string CompletePath(string input) => Path.Combine(Folder, $"{BaseName(input)}.{Extension}");

    /// <summary>Where an incomplete (or failed, or cancelled) transcript of <paramref name="input"/> goes.</summary>
    public string IncompletePath(string input) => Path.Combine(Folder, $"{BaseName(input)}.incomplete.{Extension}");

    /// <summary>True when the whole transcript of <paramref name="input"/> is there.</summary>
    public bool IsDone(string input) => File.Exists(CompletePath(input));

    /// <summary>Inputs whose outputs would have the same name (two <c>call.wav</c> in different folders).</summary>
    /// <exception cref="AsrException">InvalidInput (OutputNameClash), naming the first two.</exception>
    public static void CheckUnique(IEnumerable<string> inputs)
    {
        var seen = new Dictionary<string, string>(OperatingSystem.IsLinux() ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase);
        foreach (var input in inputs)
        {
            if (input == Audio.AudioInput.StandardInput)
                throw new AsrException(AsrErrorKind.InvalidInput, "OutputNameClash", "Standard input ('-') has no name for an output file: save it to a file first, or drop --output-dir.");
            if (seen.TryGetValue(BaseName(input), out var other))
                throw new AsrException(AsrErrorKind.InvalidInput, "OutputNameClash",
                    $"'{other}' and '{input}' would both be written to {BaseName(input)}.*: give inputs with different names, or run them in separate output folders.");
            seen[BaseName(input)] = input;
        }
    }

    /// <summary>Starts the output of one input: a temporary file, committed by <see cref="OutputFile.Commit"/>.</summary>
    internal OutputFile Begin(string input, bool showProvider)
    {
        // A run that was killed left its temporary file (another process id): the input is redone, so it goes.
        foreach (var stale in Directory.EnumerateFiles(Folder, $".{BaseName(input)}.{Extension}.*.tmp"))
            try { File.Delete(stale); } catch (IOException) { }
        string temp = Path.Combine(Folder, $".{BaseName(input)}.{Extension}.{Environment.ProcessId}.tmp");
        return new OutputFile(this, input, temp, showProvider);
    }
}
