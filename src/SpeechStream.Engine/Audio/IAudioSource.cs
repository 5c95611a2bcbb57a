namespace SpeechStream.Engine.Audio;

/// <summary>A stream of interleaved audio decoded to floats in [-1, 1). Read in pieces, never whole,
/// so memory stays bounded whatever the length.</summary>
public interface IAudioSource : IAsyncDisposable, IDisposable
{
    /// <summary>The file path or stream name, used in messages.</summary>
    string Name { get; }

    /// <summary>The stored format (encoding, sample rate in Hz, channel count).</summary>
    AudioFormat Format { get; }

    /// <summary>Duration in seconds when the source knows it (a seekable file); null for pipes and streaming sizes.</summary>
    double? DurationSeconds { get; }

    /// <summary>Reads whole frames of interleaved samples into <paramref name="destination"/>.</summary>
    /// <returns>The number of samples written (a multiple of the channel count); 0 at the end.</returns>
    /// <exception cref="AudioFormatException">The data ends in a way the header did not announce.</exception>
    ValueTask<int> ReadAsync(Memory<float> destination, CancellationToken cancellationToken = default);

    /// <summary>Once read to its end (<see cref="ReadAsync"/> returned 0): how much shorter the input was than its header
    /// or container declares (a pipe, or a decoder's output, whose length cannot be checked before it is read); null when
    /// it was whole, declares no length, or has not been read to its end.</summary>
    AudioShortfall? Shortfall => null;
}
