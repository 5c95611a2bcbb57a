namespace SpeechStream.Engine.Providers.VoxNexus;

/// <summary>A TTS text frame (seed 003_…): <c>{"type":"text","text":…,"is_final":…}</c>; the last one of a request
/// carries <c>is_final: true</c>. Written by <see cref="VoxNexusTextFrame.csJsonContext"/>.</summary>
internal sealed record VoxNexusTextFrame
{
    public string Type => "text";
    public required string Text { get; init; }
    public required bool IsFinal { get; init; }
}
