using System.Management.Automation;
using System.Security;

namespace SpeechStream.PowerShell;

/// <summary>
/// Lets <c>-ApiKey</c> take what PowerShell users pass: a SecureString (from <c>Get-Secret</c>,
/// <c>Read-Host -AsSecureString</c>), a plain string (from an environment variable or a vault that returns text), or a
/// PSCredential (its password). The key is never echoed: a binding error names the type, never the value.
/// </summary>
public sealed class ApiKeyTransformationAttribute : ArgumentTransformationAttribute
{
    /// <inheritdoc/>
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        object? value = inputData is PSObject pso ? pso.BaseObject : inputData;
        switch (value)
        {
            case null:
            case SecureString:
                return value;
            case PSCredential credential:
                return credential.Password;
            case string text:
                var secure = new SecureString();
                foreach (char c in text) secure.AppendChar(c);
                secure.MakeReadOnly();
                return secure;
            default:
                throw new ArgumentTransformationMetadataException(
                    $"-ApiKey takes a SecureString, a string or a PSCredential, not a {value.GetType().Name}.");
        }
    }
}
