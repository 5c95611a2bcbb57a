using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using SpeechStream.Engine.Diagnostics;

namespace SpeechStream.Engine.Hosting;

/// <summary>Which PowerShell stream a pumped event goes to; <see cref="Call"/> runs an <see cref="Action"/> on the
/// pipeline thread (for what must be decided there, such as writing a file's errors and results together).</summary>
public enum PumpEventKind { Output, Verbose, Debug, Warning, Progress, Error, Call }
