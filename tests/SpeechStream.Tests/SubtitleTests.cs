using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using SpeechStream.Engine.Transcripts;
using SpeechStream.Engine.Transcripts.Formats;

namespace SpeechStream.Tests;

/// <summary>SRT and WebVTT: cue layout (2 lines of 42, 7 s, cut at word times), labels, honest ends; and what the CLI
/// writes, parsed by ffmpeg and checked against the fixture's word times.</summary>
public class SubtitleTests
{
    private static Transcript Final(string text, double? start, double? end, IList<TranscriptWord>? words = null, string? speaker = null, string channel = "mix",
        bool unconfirmed = false) => new()
    {
        Provider = "Test", SessionId = "s", IsFinal = true, Text = text, Start = start, End = end, Speaker = speaker, Channel = channel, Unconfirmed = unconfirmed,
        Words = words is null ? WordList.Empty : new WordList(words),
    };

    private static List<TranscriptWord> Timed(string text, double start, double step) =>
        text.Split(' ').Select((w, i) => new TranscriptWord(w, start + i * step, start + i * step + step * 0.8, null)).ToList();

    [Fact]
    public void Cues_hold_two_lines_of_42_and_seven_seconds_and_cut_between_words()
    {
        string text = string.Join(" ", Enumerable.Range(1, 60).Select(i => i % 3 == 0 ? "considerably" : "word"));
        var words = Timed(text, 1.0, 0.4);
        var cues = SubtitleCues.For(Final(text, 1.0, words[^1].End, words), null, SubtitleLayout.Default);
        Assert.True(cues.Count > 3);
        foreach (var cue in cues)
        {
            Assert.InRange(cue.Lines.Count, 1, 2);
            Assert.All(cue.Lines, l => Assert.InRange(l.Length, 1, 42));
            Assert.InRange(cue.End - cue.Start, 0.001, 7.0);
            Assert.Contains(words, w => Math.Abs(w.Start!.Value - cue.Start) < 1e-9);
            Assert.Contains(words, w => Math.Abs(w.End!.Value - cue.End) < 1e-9);
        }
        Assert.Equal(text, string.Join(" ", cues.SelectMany(c => c.Lines)));
        for (int i = 1; i < cues.Count; i++) Assert.True(cues[i].Start >= cues[i - 1].End);
    }

    [Fact]
    public void A_result_without_an_end_ends_at_the_next_start_or_after_its_speaking_time()
    {
        var next = SubtitleCues.For(Final("a short line of speech here", 10.0, null), nextStart: 11.0, SubtitleLayout.Default);
        Assert.Equal(11.0, Assert.Single(next).End, 3);
        var alone = SubtitleCues.For(Final("a short line", 10.0, null), nextStart: null, SubtitleLayout.Default);
        Assert.Equal(10.0 + "a short line".Length / 15.0, Assert.Single(alone).End, 3); // never stretched to 7 s
        // Voxist: word starts only; a word ends where the next starts.
        var starts = new[] { new TranscriptWord("one", 1.0, null, null), new TranscriptWord("two", 1.5, null, null) };
        var cue = Assert.Single(SubtitleCues.For(Final("one two", 1.0, null, starts), 3.0, SubtitleLayout.Default));
        Assert.Equal(1.0, cue.Start, 3);
        Assert.InRange(cue.End, 1.5, 3.0);
    }

    [Fact]
    public void Speakers_label_the_cues_in_SRT_and_WebVTT()
    {
        foreach (var (format, expected) in new[] { (TranscriptFormat.Srt, "1\n00:00:01,000 --> 00:00:02,000\nleft: hello <there>\n\n"),
                                                     (TranscriptFormat.Vtt, "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v left>hello &lt;there&gt;\n\n") })
        {
            var o = new StringWriter();
            var w = TranscriptWriter.Create(format, o);
            w.Write(Final("hello <there>", 1, 2, speaker: "left", channel: "left"));
            w.Write(new Transcript { Provider = "Test", SessionId = "s", Text = "partial", IsFinal = false, Start = 2 });
            w.Complete();
            Assert.Equal(expected, o.ToString());
        }
    }

    [Fact]
    public void Unconfirmed_finals_are_marked_in_SRT_and_WebVTT_as_in_the_text_format()
    {
        foreach (var (format, expected) in new[] {
                     (TranscriptFormat.Srt, "1\n00:00:01,000 --> 00:00:02,000\nhello there\n\n2\n00:00:02,000 --> 00:00:03,000\nleft: (unconfirmed) cut off\n\n"),
                     (TranscriptFormat.Vtt, "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nhello there\n\n00:00:02.000 --> 00:00:03.000\n<v left>(unconfirmed) cut off\n\n") })
        {
            var o = new StringWriter();
            var w = TranscriptWriter.Create(format, o);
            w.Write(Final("hello there", 1, 2));
            w.Write(Final("cut off", 2, 3, speaker: "left", channel: "left", unconfirmed: true));
            w.Complete();
            Assert.Equal(expected, o.ToString());
        }
        // The mark counts in the line's width: two lines of at most 42 characters, the mark and the label included.
        var cues = SubtitleCues.For(Final(string.Join(' ', Enumerable.Repeat("word", 16)), 0, 6, unconfirmed: true), null, SubtitleLayout.Default);
        Assert.All(cues, c => Assert.True(c.Unconfirmed));
        Assert.True(SubtitleCue.UnconfirmedMark.Length + cues[0].Lines[0].Length <= 42, cues[0].Lines[0]);
    }

    [Fact]
    public void Text_lines_show_the_speaker_and_a_readable_span_without_an_end()
    {
        Assert.Equal("[00:01.50 - 00:02.25] right: hi", TextWriterFormat.Line(Final("hi", 1.5, 2.25, speaker: "right", channel: "right")));
        Assert.Equal("[01:01.50 - ?       ] hi", TextWriterFormat.Line(Final("hi", 61.5, null)));
        Assert.Equal("[1:00:00.00 - 1:00:01.00] hi", TextWriterFormat.Line(Final("hi", 3600, 3601)));
    }

    public static TheoryData<string, string> Providers => new() { { "smallest", "srt" }, { "voxnexus", "vtt" }, { "voxist", "srt" } };

    /// <summary>The CLI's subtitles of a 27.7 s call, read back by ffmpeg (converted to ASS): every cue starts on a
    /// fixture word's start and ends on its end (Voxist, which sends starts only: on the next word's start or
    /// before), lasts at most 7 s, and together they spell the transcript.</summary>
    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Ffmpeg_reads_the_subtitles_and_the_cue_times_are_the_fixtures_word_times(string provider, string format)
    {
        var args = new List<string> { "transcribe", Fixtures.Audio("call-mono-16k.wav"), "--emulate", "-p", provider, "--speed", "max", "-f", format, "-q" };
        if (provider != "voxist") args.AddRange(new[] { "--word-timestamps", "true" }); // Voxist has no such parameter
        var (code, stdout, stderr) = await CliTests.Run(args.ToArray());
        Assert.True(code == 0, stderr);
        string dir = Directory.CreateTempSubdirectory("subs-").FullName;
        string sub = Path.Combine(dir, "out." + format), ass = Path.Combine(dir, "out.ass");
        File.WriteAllText(sub, stdout);
        var ffmpeg = Process.Start(new ProcessStartInfo("ffmpeg", new[] { "-v", "error", "-y", "-i", sub, ass })
            { RedirectStandardError = true, UseShellExecute = false })!;
        string errors = await ffmpeg.StandardError.ReadToEndAsync();
        await ffmpeg.WaitForExitAsync();
        Assert.True(ffmpeg.ExitCode == 0, errors);
        var cues = File.ReadLines(ass).Where(l => l.StartsWith("Dialogue:", StringComparison.Ordinal)).Select(l =>
        {
            var f = l.Split(',', 10);
            return (Start: Ass(f[1]), End: Ass(f[2]), Text: Regex.Replace(f[9], @"\{[^}]*\}", "").Replace("\\N", " ").Trim());
        }).ToList();
        using var json = JsonDocument.Parse(File.ReadAllText(Fixtures.Audio("call-mono-16k.json")));
        var words = json.RootElement.GetProperty("words").EnumerateArray()
            .Select(w => (Start: w.GetProperty("start").GetDouble(), End: w.GetProperty("end").GetDouble())).ToList();
        Assert.True(cues.Count >= 6, $"{cues.Count} cues");
        double duration = json.RootElement.GetProperty("duration").GetDouble();
        for (int i = 0; i < cues.Count; i++)
        {
            var c = cues[i];
            Assert.Contains(words, w => Math.Abs(w.Start - c.Start) <= 0.011); // ASS keeps centiseconds
            // Voxist sends word starts only: a cue ends no later than the next one starts (or the audio ends).
            if (provider == "voxist") Assert.True(c.End <= (i + 1 < cues.Count ? cues[i + 1].Start : duration) + 0.011, $"cue {i} ends at {c.End}");
            else Assert.Contains(words, w => Math.Abs(w.End - c.End) <= 0.011);
            Assert.InRange(c.End - c.Start, 0.01, 7.0);
        }
        Assert.Equal(json.RootElement.GetProperty("text").GetString(), string.Join(" ", cues.Select(c => c.Text)));
    }

    private static double Ass(string t) => TimeSpan.ParseExact(t, @"h\:mm\:ss\.ff", CultureInfo.InvariantCulture).TotalSeconds;
}
