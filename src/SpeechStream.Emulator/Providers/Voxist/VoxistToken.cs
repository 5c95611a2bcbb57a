namespace SpeechStream.Emulator;

/// <summary>The Voxist emulator's answer to the token exchange (<c>GET /websocket</c>): <c>{"url":"ws://…/ws?token=JWT"}</c>
/// (src/SpeechStream.Engine/Providers/Voxist/README.md, "Auth").
/// Written by <see cref="VoxistToken.csEmulatorJsonContext"/> (snake_case names, properties in wire order).</summary>
/// <param name="Url">The WebSocket URL to connect to, with the issued token in its query.</param>
internal sealed record VoxistToken(string Url);
