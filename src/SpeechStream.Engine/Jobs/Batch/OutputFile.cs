using SpeechStream.Engine.Transcripts.Formats;

namespace SpeechStream.Engine.Jobs.Batch;

/// <summary>The temporary file of one input's output (<see cref="OutputFolder"/>); one writer, one owner.</summary>
internal sealed class OutputFile : IDisposable
{
    private readonly OutputFolder _folder;
    private readonly string _input;
    private readonly StreamWriter _stream;
    private bool _done;

    internal OutputFile(OutputFolder folder, string input, string temp, bool showProvider)
    {
        _folder = folder;
        _input = input;
        TempPath = temp;
        _stream = new StreamWriter(temp, append: false, new System.Text.UTF8Encoding(false));
        Writer = TranscriptWriter.Create(folder.Format, _stream, showProvider);
    }

    public string TempPath { get; }
    public TranscriptWriter Writer { get; }

    /// <summary>Closes the temporary file and renames it: whole, or <c>.incomplete</c>; returns the final path.</summary>
    public string Commit(bool whole)
    {
        Writer.Complete();
        _stream.Dispose();
        _done = true;
        string target = whole ? _folder.CompletePath(_input) : _folder.IncompletePath(_input);
        File.Move(TempPath, target, overwrite: true);
        if (whole) File.Delete(_folder.IncompletePath(_input)); // a resumed batch leaves no stale incomplete beside it
        return target;
    }

    /// <summary>Removes the temporary file when nothing was committed.</summary>
    public void Dispose()
    {
        if (_done) return;
        _stream.Dispose();
        try { File.Delete(TempPath); } catch (IOException) { }
    }
}
