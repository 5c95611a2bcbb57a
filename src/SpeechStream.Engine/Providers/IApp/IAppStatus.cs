namespace SpeechStream.Engine.Providers.IApp;

/// <summary>The <c>data</c> object of <see cref="IAppEndOfStream"/>: <c>{"status":"…"}</c>.</summary>
internal sealed record IAppStatus(string Status);
