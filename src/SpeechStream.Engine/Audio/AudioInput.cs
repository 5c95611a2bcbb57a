namespace SpeechStream.Engine.Audio;

/// <summary>Opens what the user names as audio: a WAV file, or headerless PCM when its format is declared.</summary>
public static class AudioInput
{
    /// <summary>Opens <paramref name="path"/>. With <paramref name="raw"/> the file is read as headerless
    /// samples of that format; otherwise it must be a WAV file.</summary>
    /// <exception cref="AudioFormatException">The file is missing, unreadable or not supported; the message says which.</exception>
    public static async Task<IAudioSource> OpenAsync(string path, AudioFormat? raw = null, CancellationToken cancellationToken = default)
    {
        if (raw is not null) return RawPcmSource.Open(path, raw);
        return await WavReader.OpenAsync(path, cancellationToken).ConfigureAwait(false);
    }
}
