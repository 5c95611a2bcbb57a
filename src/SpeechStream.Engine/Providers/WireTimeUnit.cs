namespace SpeechStream.Engine.Providers;

/// <summary>The unit of the times a provider puts in its frames (<see cref="ProviderDescriptor.WireTimeUnit"/>); the
/// engine converts them and always gives seconds. Shown in lower case (<c>seconds</c>) by Get-AsrProvider and
/// <c>speechstream providers</c>.</summary>
public enum WireTimeUnit
{
    /// <summary>Times in seconds.</summary>
    Seconds,
    /// <summary>Times in milliseconds.</summary>
    Milliseconds,
    /// <summary>The provider sends no times: the session estimates them from the audio sent.</summary>
    None,
}
