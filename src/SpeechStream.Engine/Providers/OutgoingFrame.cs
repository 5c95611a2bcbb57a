namespace SpeechStream.Engine.Providers;

/// <summary>One frame to send.</summary>
/// <param name="IsText">True for a text frame (UTF-8), false for a binary one.</param>
/// <param name="Payload">The bytes of the frame.</param>
public readonly record struct OutgoingFrame(bool IsText, ReadOnlyMemory<byte> Payload)
{
    /// <summary>A text frame holding <paramref name="text"/> in UTF-8.</summary>
    public static OutgoingFrame Text(string text) => new(true, System.Text.Encoding.UTF8.GetBytes(text));
    /// <summary>A binary frame holding <paramref name="data"/> (not copied: it must not change until sent).</summary>
    public static OutgoingFrame Binary(ReadOnlyMemory<byte> data) => new(false, data);
}
