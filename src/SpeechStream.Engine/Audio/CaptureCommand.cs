namespace SpeechStream.Engine.Audio;

/// <summary>A program that writes microphone audio to its standard output, and the raw format it writes.</summary>
/// <param name="Tool">Which tool it is (arecord, sox, ffmpeg, shell), for messages.</param>
public sealed record CaptureCommand(string Tool, string FileName, IReadOnlyList<string> Arguments, AudioFormat Format)
{
    /// <summary>The folder the command runs in (relative paths in it resolve there); null: this process's.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>The program and its arguments, space-separated, as a log line shows them.</summary>
    public override string ToString() => $"{FileName} {string.Join(' ', Arguments)}";
}
