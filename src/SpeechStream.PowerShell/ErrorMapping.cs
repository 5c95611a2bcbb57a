using System.Management.Automation;
using SpeechStream.Engine;

namespace SpeechStream.PowerShell;

/// <summary>Maps engine error kinds to PowerShell error categories.</summary>
internal static class ErrorMapping
{
    public static ErrorCategory Category(AsrErrorKind kind) => kind switch
    {
        AsrErrorKind.InvalidInput => ErrorCategory.InvalidArgument,
        AsrErrorKind.AudioFormat => ErrorCategory.InvalidData,
        AsrErrorKind.Authentication => ErrorCategory.AuthenticationError,
        AsrErrorKind.Connection => ErrorCategory.ConnectionError,
        AsrErrorKind.Provider => ErrorCategory.ProtocolError,
        AsrErrorKind.Timeout => ErrorCategory.OperationTimeout,
        AsrErrorKind.Incomplete => ErrorCategory.InvalidResult,
        _ => ErrorCategory.NotSpecified,
    };
}
