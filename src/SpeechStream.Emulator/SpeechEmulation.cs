using Microsoft.Extensions.Logging;
using SpeechStream.Engine.Diagnostics;
using SpeechStream.Engine.Providers.VoxNexus;

namespace SpeechStream.Emulator;

/// <summary>Text-to-speech for <c>speechstream speak</c> and <c>ConvertTo-Speech</c>, against VoxNexus or, for
/// <c>--emulate</c>/<c>-Emulate</c>, against a VoxNexus emulator started for the one call.</summary>
public static class SpeechEmulation
{
    /// <summary>Synthesises <paramref name="request"/> with <see cref="VoxNexusSpeechSynthesizer"/>. With
    /// <paramref name="emulate"/>, a loopback VoxNexus emulator is started first and stopped after: its TTS endpoint
    /// (<see cref="VoxNexusEmulator.TtsPath"/>) and key (<see cref="EmulatorHost.ApiKey"/>) replace the request's.</summary>
    /// <returns>The WAV file written: its path, format and duration in seconds.</returns>
    /// <exception cref="SpeechStream.Engine.AsrException">As <see cref="VoxNexusSpeechSynthesizer.SynthesizeAsync"/>.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static async Task<SpeechResult> SynthesizeAsync(SpeechRequest request, bool emulate, ILoggerFactory? loggerFactory,
        CancellationToken cancellationToken)
    {
        if (!emulate) return await VoxNexusSpeechSynthesizer.SynthesizeAsync(request, loggerFactory, cancellationToken).ConfigureAwait(false);
        await using var emulator = EmulatorServer.Start("VoxNexus");
        var local = request with
        {
            ApiKey = new Secret(EmulatorHost.ApiKey),
            Endpoint = new Uri($"ws://127.0.0.1:{emulator.Port}{VoxNexusEmulator.TtsPath}"),
        };
        return await VoxNexusSpeechSynthesizer.SynthesizeAsync(local, loggerFactory, cancellationToken).ConfigureAwait(false);
    }
}
