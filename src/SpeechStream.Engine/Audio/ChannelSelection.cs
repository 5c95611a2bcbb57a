namespace SpeechStream.Engine.Audio;

/// <summary>Which channels of a multichannel source reach the provider.</summary>
public enum ChannelSelection
{
    /// <summary>Average of all channels (as SoX's <c>-c 1</c> does).</summary>
    Mix,
    /// <summary>The first channel only.</summary>
    Left,
    /// <summary>The second channel only (the first when the source is mono).</summary>
    Right,
}
