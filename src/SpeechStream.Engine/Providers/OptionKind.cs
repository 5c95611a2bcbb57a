namespace SpeechStream.Engine.Providers;

/// <summary>The type of a provider option's value (<see cref="ProviderOption.Kind"/>), checked before connecting.
/// Shown in lower case (<c>bool</c>) by Get-AsrProvider, <c>speechstream providers</c> and error messages.</summary>
public enum OptionKind
{
    /// <summary>Any text.</summary>
    String,
    /// <summary><c>true</c> or <c>false</c>, in any letter case.</summary>
    Bool,
    /// <summary>An integer, in invariant culture.</summary>
    Int,
    /// <summary>A number, in invariant culture (<c>0.5</c>).</summary>
    Number,
    /// <summary>One of <see cref="ProviderOption.Allowed"/>, in any letter case.</summary>
    Enum,
}
