namespace SpeechStream.Emulator;

/// <summary>Which end-of-stream signal a Voxist emulator honours (Voxist README, "End of stream").</summary>
public enum VoxistEndOfStreamMode
{
    /// <summary>Either <c>{"eof":1}</c> or <c>Done</c> ends the stream (what a test server should accept).</summary>
    Either,
    /// <summary>Only <c>{"eof":1}</c>, as in the seed; <c>Done</c> is an unknown frame.</summary>
    EofOnly,
    /// <summary>Only <c>Done</c>, as in the newer samples; <c>{"eof":1}</c> is discarded.</summary>
    DoneOnly,
}
