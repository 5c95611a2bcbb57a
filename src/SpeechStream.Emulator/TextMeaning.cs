namespace SpeechStream.Emulator;

/// <summary>What a provider's text frame means to its emulator.</summary>
/// <param name="Kind">What the frame is.</param>
/// <param name="Audio">The PCM s16le it carries, for <see cref="TextKind.Audio"/>; otherwise null.</param>
/// <param name="Violation">The protocol violation it is, one line, or null when it is allowed.</param>
internal readonly record struct TextMeaning(TextKind Kind, byte[]? Audio = null, string? Violation = null)
{
    /// <summary>A frame the protocol allows that needs no action (a configuration frame, a keepalive).</summary>
    public static readonly TextMeaning Other = new(TextKind.Other);

    /// <summary>The client's end of stream.</summary>
    public static readonly TextMeaning End = new(TextKind.EndOfStream);

    /// <summary>Audio carried in a text frame (VoxNexus's base64 frames): <paramref name="pcm"/> is PCM s16le.</summary>
    public static TextMeaning AudioData(byte[] pcm) => new(TextKind.Audio, pcm);

    /// <summary>A flush that is not the end of stream (Smallest's other end message on a strict endpoint).</summary>
    public static readonly TextMeaning Flush = new(TextKind.Flush);

    /// <summary>A frame the protocol does not allow: recorded as a violation described by <paramref name="why"/>, and
    /// otherwise ignored.</summary>
    public static TextMeaning Wrong(string why) => new(TextKind.Other, Violation: why);
}
