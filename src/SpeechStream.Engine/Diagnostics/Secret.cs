namespace SpeechStream.Engine.Diagnostics;

/// <summary>An API key or token. <see cref="ToString"/> never shows the value, so a key cannot reach a log
/// line, an error or verbose output by accident; code that must send it calls <see cref="Reveal"/>.</summary>
public sealed class Secret
{
    private readonly string _value;

    /// <summary>Wraps <paramref name="value"/> (trimmed) and registers it with <see cref="SecretRedactor"/>, so it is masked
    /// in every log line and error message from now on.</summary>
    /// <exception cref="ArgumentException">The value is empty or white space.</exception>
    public Secret(string value)
    {
        if (string.IsNullOrWhiteSpace(value)) throw new ArgumentException("A secret cannot be empty.", nameof(value));
        _value = value.Trim();
        SecretRedactor.Register(_value);
    }

    /// <summary>The value, for the few places that put it on the wire.</summary>
    public string Reveal() => _value;

    /// <summary>The mask (<see cref="SecretRedactor.Mask"/>), never the value.</summary>
    public override string ToString() => SecretRedactor.Mask;
}
