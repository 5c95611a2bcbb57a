namespace SpeechStream.Emulator;

/// <summary>A word of <see cref="VoxNexusTranscript.Words"/>, <c>{"word":…,"offset":…,"duration":…,"confidence":…}</c>
/// (src/SpeechStream.Engine/Providers/VoxNexus/README.md, "Results").</summary>
/// <param name="Word">The word's text.</param>
/// <param name="Offset">Start of the word, in milliseconds from the start of the audio.</param>
/// <param name="Duration">Length of the word, in milliseconds.</param>
/// <param name="Confidence">Confidence from 0 to 1.</param>
internal sealed record VoxNexusWord(string Word, int Offset, int Duration, double Confidence);
