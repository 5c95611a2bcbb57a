namespace SpeechStream.Engine.Providers;

/// <summary>How a provider says it has sent every result (each provider's README names its rule).</summary>
public enum CompletionMode
{
    /// <summary>The server closes the socket (1000) after the end of stream; a close that leaves voiced audio or
    /// partial results without a final does not count.</summary>
    ServerClose,
    /// <summary>Either a message marks completion (then the grace, as <see cref="Message"/>) or the server closes as
    /// <see cref="ServerClose"/> (Voxist: the newer engine answers <c>Done</c> with <c>Done!</c> and holds the socket
    /// open; the older one closes).</summary>
    MessageOrServerClose,
    /// <summary>A message marks completion (iApp, Smallest, VoxNexus); the session reads on for a short grace.</summary>
    Message,
    /// <summary>Nothing marks it: wait until the server has been quiet for a window and the results cover the
    /// audio (Speechall).</summary>
    Quiet,
}
