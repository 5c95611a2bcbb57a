using System.Globalization;

namespace SpeechStream.Engine.Transcripts.Formats;

/// <summary>
/// Writes final results as subtitle cues (<see cref="SubtitleCues"/>); partials are left out, finals marked
/// Unconfirmed are kept (they are the transcript's best text). Each session's latest final is held until the next
/// one arrives or <see cref="TranscriptWriter.Complete"/>, so that a result without an end time ends no later than
/// the next starts. Speakers or channels label the text: <c>left: …</c> in SRT, <c>&lt;v left&gt;…</c> in WebVTT.
/// </summary>
public sealed class SubtitleWriter : TranscriptWriter
{
    private readonly SubtitleFormat _format;
    private readonly SubtitleLayout _layout;
    private readonly Dictionary<string, Transcript> _held = new();
    private readonly Dictionary<string, double> _lastEnd = new();
    private bool _header;

    /// <summary>Subtitles in <paramref name="format"/> on <paramref name="output"/>, laid out by <paramref name="layout"/>
    /// (<see cref="SubtitleLayout.Default"/> when null).</summary>
    public SubtitleWriter(TextWriter output, SubtitleFormat format, SubtitleLayout? layout = null) : base(output)
    {
        _format = format;
        _layout = layout ?? SubtitleLayout.Default;
    }

    /// <inheritdoc/>
    protected override void WriteCore(Transcript t)
    {
        if (!t.IsFinal || string.IsNullOrWhiteSpace(t.Text)) return;
        string key = t.SessionId + "\u0000" + SubtitleCues.Label(t);
        if (_held.Remove(key, out var previous)) Emit(key, previous, t.Start);
        _held[key] = t;
    }

    /// <inheritdoc/>
    protected override void CompleteCore()
    {
        foreach (var (key, t) in _held.OrderBy(h => h.Value.Start ?? double.MaxValue).ToList()) Emit(key, t, null);
        _held.Clear();
        if (!_header) WriteHeader();
    }

    private void Emit(string key, Transcript t, double? nextStart)
    {
        if (!_header) WriteHeader();
        var cues = SubtitleCues.For(t, nextStart, _layout, _lastEnd.GetValueOrDefault(key));
        foreach (var cue in cues)
        {
            Rows++;
            if (_format == SubtitleFormat.Srt) Out.Write(Rows.ToString(CultureInfo.InvariantCulture) + "\n");
            Out.Write($"{Time(cue.Start)} --> {Time(cue.End)}\n");
            for (int i = 0; i < cue.Lines.Count; i++)
            {
                if (i == 0 && cue.Label is { } who) Out.Write(_format == SubtitleFormat.Vtt ? $"<v {Escape(who)}>" : who + ": ");
                if (i == 0 && cue.Unconfirmed) Out.Write(SubtitleCue.UnconfirmedMark);
                Out.Write((_format == SubtitleFormat.Vtt ? Escape(cue.Lines[i]) : cue.Lines[i]) + "\n");
            }
            Out.Write("\n");
        }
        if (cues.Count > 0) _lastEnd[key] = cues[^1].End;
    }

    private void WriteHeader()
    {
        _header = true;
        if (_format == SubtitleFormat.Vtt) Out.Write("WEBVTT\n\n");
    }

    private string Time(double seconds)
    {
        long ms = (long)Math.Round(Math.Max(0, seconds) * 1000, MidpointRounding.AwayFromZero);
        var t = TimeSpan.FromMilliseconds(ms);
        char sep = _format == SubtitleFormat.Srt ? ',' : '.';
        return string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours:00}:{t.Minutes:00}:{t.Seconds:00}{sep}{t.Milliseconds:000}");
    }

    /// <summary>WebVTT cue text escapes &amp;, &lt; and &gt;.</summary>
    private static string Escape(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
