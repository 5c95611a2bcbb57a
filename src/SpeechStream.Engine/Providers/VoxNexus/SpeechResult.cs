namespace SpeechStream.Engine.Providers.VoxNexus;

/// <summary>The file written: its format and how much audio it holds.</summary>
public sealed record SpeechResult(string Path, int SampleRate, int Channels, int BitsPerSample, double DurationSeconds,
    long AudioBytes, int Chunks, string? RequestId);
