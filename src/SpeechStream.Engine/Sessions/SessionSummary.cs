using System.Globalization;

namespace SpeechStream.Engine.Sessions;

/// <summary>
/// How a session went, in seconds of audio from the start of the file. The transcript is whole
/// (<see cref="IsWhole"/>) only when the provider confirmed completion and every second sent is covered by a
/// confirmed final: otherwise <see cref="Uncovered"/> names the audio without one, finals marked Unconfirmed were
/// written for the segments that only had partial results, and the CLI exits 5 / the cmdlets write
/// <c>TranscriptIncomplete</c>.
/// </summary>
public sealed record SessionSummary
{
    /// <summary>Our id for the session (<see cref="AsrSession.Id"/>).</summary>
    public required string SessionId { get; init; }
    /// <summary>The provider's name.</summary>
    public required string Provider { get; init; }
    /// <summary>The caller's name for the audio, or null.</summary>
    public string? Source { get; init; }
    /// <summary>The channel of the input this session transcribed ("mix", "left" …), or null.</summary>
    public string? Channel { get; init; }
    /// <summary>Seconds of audio sent (each second once, however often it was replayed).</summary>
    public double AudioSentSeconds { get; init; }
    /// <summary>Seconds of the audio sent that are covered by confirmed finals (or the provider's completion).</summary>
    public double AudioCoveredSeconds { get; init; }
    /// <summary>Seconds of audio sent again after reconnects.</summary>
    public double AudioReplayedSeconds { get; init; }
    /// <summary>Seconds of audio the provider heard but confirmed no final for.</summary>
    public double AudioUnconfirmedSeconds { get; init; }
    /// <summary>Seconds of audio that could not be resent after a reconnect (the replay buffer had dropped it).</summary>
    public double AudioLostSeconds { get; init; }
    /// <summary>Seconds of the input never sent because the session ended first (the provider refused, the reconnects
    /// ran out); 0 when all of it was sent or its length is unknown.</summary>
    public double AudioNotSentSeconds { get; init; }
    /// <summary>The audio without a confirmed final (unconfirmed, lost and never sent), merged, in file seconds.</summary>
    public IReadOnlyList<TimeRange> Uncovered { get; init; } = Array.Empty<TimeRange>();
    /// <summary>The part of <see cref="Uncovered"/> the replay buffer had dropped.</summary>
    public IReadOnlyList<TimeRange> Lost { get; init; } = Array.Empty<TimeRange>();
    /// <summary>How the session ended.</summary>
    public SessionEnding Ending { get; init; }
    /// <summary>Why it ended so, when not <see cref="SessionEnding.Completed"/> (the error's message).</summary>
    public string? EndingReason { get; init; }
    /// <summary>Confirmed finals written (not counting those marked Unconfirmed).</summary>
    public int Finals { get; init; }
    /// <summary>Partial results with text received.</summary>
    public int Partials { get; init; }
    /// <summary>Finals marked Unconfirmed: the last partial of segments the provider never finalised.</summary>
    public int UnconfirmedFinals { get; init; }
    /// <summary>Open segments dropped because more than 256 were open at once (a server opening unbounded segments)
    /// whose text may be lost: 0 when every one of them is about audio that confirmed finals or the Unconfirmed rows
    /// written cover (those count in <see cref="PartialsSuperseded"/>).</summary>
    public int OpenSegmentsDiscarded { get; init; }
    /// <summary>Open segments whose last partial was not written as an Unconfirmed final because confirmed finals, or a
    /// later partial of the same speaker, cover its audio (the rule: <c>UnconfirmedPartials</c>).</summary>
    public int PartialsSuperseded { get; init; }
    /// <summary>Partial results not queued because more than 1,024 were waiting unread (finals are never dropped).</summary>
    public int PartialsDiscarded { get; init; }
    /// <summary>Reasons to doubt the transcript although the provider completed (frames contrary to the options).</summary>
    public IReadOnlyList<string> Doubts { get; init; } = Array.Empty<string>();
    /// <summary>Connections opened after the first (reconnects and renewals).</summary>
    public int Reconnects { get; init; }
    /// <summary>Silence frames sent to keep an idle connection alive (100 ms each).</summary>
    public int KeepAlives { get; init; }
    /// <summary>Wall time from the session's start to its summary.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>True when the provider confirmed completion after the end of stream.</summary>
    public bool Completed => Ending == SessionEnding.Completed;

    /// <summary>True when the drain wait ran out before completion.</summary>
    public bool DrainTimedOut => Ending == SessionEnding.DrainTimedOut;

    /// <summary>Completion confirmed, every second covered, nothing unconfirmed, discarded or in doubt.</summary>
    public bool IsWhole => Ending == SessionEnding.Completed && Uncovered.Count == 0 && UnconfirmedFinals == 0 && OpenSegmentsDiscarded == 0 && Doubts.Count == 0;

    /// <summary>"Completed: 12.30 s sent, 12.30 s covered", and the audio without a confirmed final when there is some
    /// (numbers in the current culture).</summary>
    public override string ToString() =>
        string.Create(CultureInfo.CurrentCulture, $"{Ending}: {AudioSentSeconds:0.00} s sent, {AudioCoveredSeconds:0.00} s covered")
        + (Uncovered.Count > 0 ? $"; no confirmed final for {string.Join(", ", Uncovered)}" : "");

    /// <summary>One line saying what is missing and why, for warnings and errors (numbers in the current culture);
    /// empty when whole.</summary>
    public string Describe()
    {
        if (IsWhole) return "";
        var parts = new List<string>();
        string who = Source is null ? Provider : $"{Provider} ({Source}{(Channel is null or "mix" ? "" : ", " + Channel)})";
        parts.Add(Uncovered.Count > 0
            ? string.Create(CultureInfo.CurrentCulture, $"{who}: {string.Join(", ", Uncovered)} of audio ({AudioSentSeconds + AudioNotSentSeconds - AudioCoveredSeconds:0.00} s of {AudioSentSeconds + AudioNotSentSeconds:0.00} s) got no confirmed final")
            : $"{who}: the transcript is not confirmed whole");
        if (EndingReason is not null) parts.Add($"({EndingReason.TrimEnd('.')})");
        var s = string.Join(" ", parts);
        if (UnconfirmedFinals > 0) s += $"; {UnconfirmedFinals} segment(s) written as finals marked Unconfirmed";
        if (AudioLostSeconds > 0) s += string.Create(CultureInfo.CurrentCulture, $"; {AudioLostSeconds:0.00} s could not be resent after a reconnect");
        if (AudioNotSentSeconds > 0) s += string.Create(CultureInfo.CurrentCulture, $"; the last {AudioNotSentSeconds:0.00} s of the input were never sent");
        if (OpenSegmentsDiscarded > 0) s += $"; {OpenSegmentsDiscarded} open segment(s) beyond the cap of 256 were discarded";
        foreach (var doubt in Doubts) s += "; " + doubt;
        return s + ".";
    }

    /// <summary>This summary for an input of <paramref name="inputSeconds"/>: the part the session never sent is
    /// uncovered too.</summary>
    public SessionSummary WithInputLength(double? inputSeconds)
    {
        if (inputSeconds is not double total || total <= AudioSentSeconds + 0.05) return this;
        return this with
        {
            AudioNotSentSeconds = Math.Round(total - AudioSentSeconds, 3),
            Uncovered = TimeRange.Merge(Uncovered.Append(new TimeRange(AudioSentSeconds, total))),
        };
    }
}
