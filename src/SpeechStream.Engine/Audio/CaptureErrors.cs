using System.Text.RegularExpressions;

namespace SpeechStream.Engine.Audio;

/// <summary>
/// What a capture tool's standard error says, without the sound libraries' noise: ALSA prints one "ALSA lib
/// file.c:line:(function) …" line per configuration step it fails (nine on a machine with no sound card), and JACK
/// a few of its own, before the tool's one line of its own. The tool's lines are kept; of the library lines only the
/// first cause is kept, once, e.g. "ALSA: cannot find card '0'".
/// </summary>
internal static partial class CaptureErrors
{
    [GeneratedRegex(@"^ALSA lib [^:]+:\d+:\([^)]*\)\s*(?<what>.*)$")]
    private static partial Regex AlsaLine();

    private static readonly string[] JackNoise =
        { "jack server is not running", "Cannot connect to server socket", "Cannot connect to server request channel", "JackShmReadWritePtr" };

    /// <summary>The tool's own lines, then the first ALSA cause (one line: "ALSA: …"); the text as it was when it has no
    /// library lines. Empty for an empty <paramref name="stderr"/>.</summary>
    public static string Summarize(string stderr)
    {
        var own = new List<string>();
        string? alsa = null;
        foreach (var raw in stderr.Split('\n'))
        {
            string line = raw.TrimEnd('\r').Trim();
            if (line.Length == 0) continue;
            var m = AlsaLine().Match(line);
            if (m.Success) { alsa ??= m.Groups["what"].Value; continue; }
            if (line.StartsWith("ALSA lib ", StringComparison.Ordinal) || JackNoise.Any(n => line.Contains(n, StringComparison.Ordinal))) continue;
            own.Add(line);
        }
        if (alsa is not null) own.Add($"ALSA: {alsa}{(alsa.Contains("cannot find card", StringComparison.Ordinal) ? " (this machine has no sound card ALSA can see)" : "")}");
        return string.Join(Environment.NewLine, own);
    }
}
