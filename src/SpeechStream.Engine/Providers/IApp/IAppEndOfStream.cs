namespace SpeechStream.Engine.Providers.IApp;

/// <summary>iApp's end-of-stream message, <c>{"data":{"status":"end of stream"}}</c> (seed 001_…; README, "End of
/// stream"; the status is the <c>end_status</c> option). Written by <see cref="IAppEndOfStream.csJsonContext"/>.</summary>
internal sealed record IAppEndOfStream(IAppStatus Data);
