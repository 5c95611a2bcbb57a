namespace SpeechStream.CodeMetrics.Sources;

/// <summary>A declared accessibility, read from modifiers (syntax only).</summary>
public enum Access
{
    /// <summary>No modifier: the language default applies (see <see cref="AccessRules.Effective"/>).</summary>
    Default,
    /// <summary><c>public</c>.</summary>
    Public,
    /// <summary><c>protected</c> or <c>protected internal</c>: visible to derived types in other assemblies.</summary>
    Protected,
    /// <summary><c>internal</c>.</summary>
    Internal,
    /// <summary><c>private</c> or <c>private protected</c>.</summary>
    Private,
}
