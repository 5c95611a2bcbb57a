namespace SpeechStream.Engine.Jobs;

/// <summary>Which channels of a file go to the provider: the mix (default), one side, or each side to its own session.</summary>
public enum ChannelMode
{
    /// <summary>The channels mixed down to mono (default).</summary>
    Mix,
    /// <summary>The left channel (the first) only.</summary>
    Left,
    /// <summary>The right channel (the second) only.</summary>
    Right,
    /// <summary>Each of the two channels to its own session, labelled left and right.</summary>
    Split,
}
