namespace SpeechStream.Emulator;

/// <summary>Smallest's top-level error frame, <c>{"error":…,"code":…}</c> (<see cref="SmallestErrorShape.TopLevel"/>;
/// src/SpeechStream.Engine/Providers/Smallest/README.md, "Errors").
/// Written by <see cref="SmallestPlainError.csEmulatorJsonContext"/> (snake_case names, properties in wire order).</summary>
/// <param name="Error">The error message.</param>
/// <param name="Code">The error code, e.g. <c>LANGUAGE_NOT_ENABLED_IN_REGION</c>.</param>
internal sealed record SmallestPlainError(string Error, string Code);
