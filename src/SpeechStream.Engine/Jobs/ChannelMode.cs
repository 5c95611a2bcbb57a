using System.Buffers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SpeechStream.Engine.Audio;
using SpeechStream.Engine.Sessions;
using SpeechStream.Engine.Transcripts;

namespace SpeechStream.Engine.Jobs;

/// <summary>Which channels of a file go to the provider: the mix (default), one side, or each side to its own session.</summary>
public enum ChannelMode { Mix, Left, Right, Split }
