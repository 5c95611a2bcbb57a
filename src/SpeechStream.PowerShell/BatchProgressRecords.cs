using System.Globalization;
using System.Management.Automation;
using SpeechStream.Engine.Jobs;
using SpeechStream.Engine.Jobs.Batch;

namespace SpeechStream.PowerShell;

/// <summary>
/// Progress records of a batch: a parent activity (id 1) for the whole, with files done, audio, rate and time left,
/// and a child per running file, numbered from 2 and reused as files end, under it.
/// </summary>
internal sealed class BatchProgressRecords(int files)
{
    private const int ParentId = 1;
    private readonly object _gate = new();
    private readonly Dictionary<string, int> _ids = new();
    private readonly SortedSet<int> _free = new();
    private int _next = ParentId + 1;

    public ProgressRecord Parent(BatchProgress p)
    {
        var r = new ProgressRecord(ParentId, $"Transcribing {files} files",
            string.Create(CultureInfo.CurrentCulture, $"{p.FilesDone} of {p.FilesTotal} files done, {p.AudioSeconds / 3600:0.00} h of audio, {p.Rate:0.0}x real time"))
        {
            PercentComplete = p.FilesTotal > 0 ? (int)(100.0 * p.FilesDone / p.FilesTotal) : -1,
            SecondsRemaining = p.Remaining is { } left ? (int)left.TotalSeconds : -1,
        };
        return r;
    }

    public ProgressRecord ParentDone() =>
        new(ParentId, $"Transcribing {files} files", "Done") { RecordType = ProgressRecordType.Completed };

    public ProgressRecord Child(JobProgress p, bool underParent)
    {
        var r = AsrCmdletBase.ToProgressRecord(p);
        if (!underParent) return r;
        var child = new ProgressRecord(IdOf(p.Source), r.Activity, r.StatusDescription)
        {
            ParentActivityId = ParentId, PercentComplete = r.PercentComplete, RecordType = ProgressRecordType.Processing,
        };
        return child;
    }

    public ProgressRecord ChildDone(string source)
    {
        int id;
        lock (_gate)
        {
            id = IdOf(source);
            _ids.Remove(source);
            _free.Add(id);
        }
        return new ProgressRecord(id, $"Transcribing {Path.GetFileName(source)}", "Done") { ParentActivityId = ParentId, RecordType = ProgressRecordType.Completed };
    }

    private int IdOf(string source)
    {
        lock (_gate)
        {
            if (_ids.TryGetValue(source, out int id)) return id;
            if (_free.Count > 0) { id = _free.Min; _free.Remove(id); }
            else id = _next++;
            return _ids[source] = id;
        }
    }
}
