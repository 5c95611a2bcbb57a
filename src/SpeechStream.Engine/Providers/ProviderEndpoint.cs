namespace SpeechStream.Engine.Providers;

/// <summary>A named endpoint of a provider (production, staging, …); reads as <c>Production wss://…</c>.</summary>
/// <param name="Environment">The name users give to <c>-Environment</c>/<c>--environment</c>.</param>
/// <param name="Url">The WebSocket URL of that environment.</param>
public sealed record ProviderEndpoint(string Environment, Uri Url)
{
    /// <summary>The environment and URL, as <c>Production wss://…</c>.</summary>
    public override string ToString() => $"{Environment} {Url}";
}
