using Microsoft.Extensions.Logging;

namespace SpeechStream.Engine.Diagnostics;

/// <summary>Logger factories over one <see cref="CallbackLoggerProvider"/>, made without the dependency-injection
/// container <c>LoggerFactory.Create</c> builds (a command-line run pays for every method it compiles).</summary>
public static class CallbackLogging
{
    /// <param name="sink">Receives (level, category, redacted message).</param>
    /// <param name="minimum">Lowest level passed on.</param>
    public static ILoggerFactory Create(Action<LogLevel, string, string> sink, LogLevel minimum) =>
        new LoggerFactory(new ILoggerProvider[] { new CallbackLoggerProvider(sink, minimum) }, new LoggerFilterOptions { MinLevel = minimum });
}
