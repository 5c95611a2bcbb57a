namespace SpeechStream.Emulator;

/// <summary>The <c>error</c> object of <see cref="SmallestStatusError"/>, <c>{"message":…,"code":…}</c>
/// (src/SpeechStream.Engine/Providers/Smallest/README.md, "Errors").</summary>
/// <param name="Message">The error message.</param>
/// <param name="Code">The error code.</param>
internal sealed record SmallestErrorBody(string Message, string Code);
