namespace SpeechStream.Engine;

/// <summary>An audio input that cannot be read: the message names the file, what was found and what is supported.</summary>
public sealed class AudioFormatException : AsrException
{
    /// <summary>An unreadable input: the message is <c>'source': problem</c>, of kind <see cref="AsrErrorKind.AudioFormat"/>.</summary>
    /// <param name="source">The file or stream name.</param>
    /// <param name="errorId">Stable identifier, e.g. <c>AudioCodecUnsupported</c>.</param>
    /// <param name="problem">What was found and what is supported.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public AudioFormatException(string source, string errorId, string problem, Exception? inner = null)
        : base(AsrErrorKind.AudioFormat, errorId, $"'{source}': {problem}", inner)
    {
        Source = source;
    }

    /// <summary>The file or stream name the problem was found in.</summary>
    public new string Source { get; }
}
