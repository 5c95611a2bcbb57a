using Microsoft.Extensions.Logging;

namespace SpeechStream.Engine.Diagnostics;

/// <summary>A logger provider that hands each formatted, redacted line to a callback. The CLI points it at
/// stderr; the cmdlets point it at the event pump, which writes Verbose/Debug on the pipeline thread.</summary>
internal sealed class CallbackLoggerProvider : ILoggerProvider
{
    private readonly Action<LogLevel, string, string> _sink;
    private readonly LogLevel _minimum;

    /// <param name="sink">Receives (level, category, redacted message).</param>
    /// <param name="minimum">Lowest level passed on.</param>
    public CallbackLoggerProvider(Action<LogLevel, string, string> sink, LogLevel minimum)
    {
        _sink = sink;
        _minimum = minimum;
    }

    public ILogger CreateLogger(string categoryName) => new CallbackLogger(this, ShortName(categoryName));

    public void Dispose() { }

    private static string ShortName(string category)
    {
        int i = category.LastIndexOf('.');
        return i >= 0 ? category[(i + 1)..] : category;
    }

    private sealed class CallbackLogger(CallbackLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= owner._minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var msg = formatter(state, exception);
            if (exception is not null && !msg.Contains(exception.Message, StringComparison.Ordinal))
                msg += ": " + exception.Message;
            owner._sink(logLevel, category, SecretRedactor.Redact(msg));
        }
    }
}
