namespace SpeechStream.Engine;

/// <summary>An audio input that cannot be read: the message names the file, what was found and what is supported.</summary>
public sealed class AudioFormatException : AsrException
{
    public AudioFormatException(string source, string errorId, string problem, Exception? inner = null)
        : base(AsrErrorKind.AudioFormat, errorId, $"'{source}': {problem}", inner)
    {
        Source = source;
    }

    /// <summary>The file or stream name the problem was found in.</summary>
    public new string Source { get; }
}
