using System.Runtime.InteropServices;

namespace SpeechStream.Tests;

/// <summary>A fact that needs Linux (it reads <c>/proc</c> or runs a POSIX shell): elsewhere it is reported as skipped,
/// with the reason, rather than passing without running.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    /// <summary>Skips the test off Linux.</summary>
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = $"Needs Linux (/proc and a POSIX shell); this is {RuntimeInformation.OSDescription}.";
    }
}

/// <summary>A fact about the behaviour off Windows (no WASAPI): on Windows it is reported as skipped, with the reason.</summary>
public sealed class NotOnWindowsFactAttribute : FactAttribute
{
    /// <summary>Skips the test on Windows.</summary>
    public NotOnWindowsFactAttribute()
    {
        if (OperatingSystem.IsWindows()) Skip = "Checks the behaviour where WASAPI is absent; this is Windows.";
    }
}
