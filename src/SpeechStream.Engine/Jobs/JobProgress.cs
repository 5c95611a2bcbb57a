using System.Buffers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SpeechStream.Engine.Audio;
using SpeechStream.Engine.Sessions;
using SpeechStream.Engine.Transcripts;

namespace SpeechStream.Engine.Jobs;

/// <summary>Progress of one file: seconds of audio sent out of the total (null when unknown).</summary>
public sealed record JobProgress(string Source, double SecondsSent, double? TotalSeconds);
