using Microsoft.Extensions.Logging;
using SpeechStream.Engine.Diagnostics;
using SpeechStream.Engine.Sessions;

namespace SpeechStream.Engine.Providers;

/// <summary>What one connection's context gives a protocol adapter while preparing it.</summary>
public sealed class ConnectContext
{
    /// <summary>The session's options, as the user gave them.</summary>
    public required SessionOptions Options { get; init; }
    /// <summary>The API key; read its value only to put it in the request.</summary>
    public required Secret ApiKey { get; init; }
    /// <summary>The auth mode chosen, one of the descriptor's <see cref="ProviderDescriptor.AuthModes"/> (lower case).</summary>
    public required string AuthMode { get; init; }
    /// <summary>The endpoint to connect to (the environment's URL, or <c>-Endpoint</c>/<c>--endpoint</c>).</summary>
    public required Uri Endpoint { get; init; }
    /// <summary>The client for HTTP calls before the upgrade (token exchange); shared, do not dispose.</summary>
    public required HttpClient Http { get; init; }
    /// <summary>The session's logger; never log a secret unredacted.</summary>
    public required ILogger Logger { get; init; }
    /// <summary>Resolved language (the provider's default when none was given; may be empty).</summary>
    public string Language { get; init; } = "";
    /// <summary>Resolved sample rate in Hz of the PCM s16le sent.</summary>
    public int SampleRate { get; init; } = 16000;
    /// <summary>The provider option <paramref name="name"/>, or its descriptor default.</summary>
    public string? Option(ProviderDescriptor d, string name) => Options.ProviderOptions.Get(d, name);
}
