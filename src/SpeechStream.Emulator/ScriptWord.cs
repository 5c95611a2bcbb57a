namespace SpeechStream.Emulator;

/// <summary>A word the emulator will "recognise", with its times in seconds from the start of the audio.</summary>
/// <param name="Text">The word as the provider would write it.</param>
/// <param name="Start">Start of the word, in seconds.</param>
/// <param name="End">End of the word, in seconds.</param>
internal sealed record ScriptWord(string Text, double Start, double End);
