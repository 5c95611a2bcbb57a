namespace SpeechStream.Engine.Jobs;

/// <summary>Progress of one file: seconds of audio sent out of the total (null when unknown).</summary>
public sealed record JobProgress(string Source, double SecondsSent, double? TotalSeconds);
