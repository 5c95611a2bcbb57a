using System.Text.Json.Serialization;

namespace SpeechStream.Emulator;

/// <summary>
/// Source-generated System.Text.Json metadata for the JSON the emulators send (no reflection, so the emulator runs
/// inside the native CLI too): snake_case names, nulls written unless a field says otherwise, the default encoder
/// (non-ASCII and HTML-sensitive characters as <c>\uXXXX</c>), as every provider's emulator has always written them.
/// The shapes are the message records of each provider's folder (Providers/&lt;Name&gt;/, one record per file); a
/// new provider's message types are added here too (one generated context serves them all). Messages with a
/// configurable field name (Smallest's words field, Speechall's word key) are written with <see cref="System.Text.Json.Utf8JsonWriter"/> instead.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(VoxistToken))]
[JsonSerializable(typeof(VoxistError))]
[JsonSerializable(typeof(IAppRealtime))]
[JsonSerializable(typeof(VoxNexusError))]
[JsonSerializable(typeof(VoxNexusSttReady))]
[JsonSerializable(typeof(VoxNexusTtsReady))]
[JsonSerializable(typeof(VoxNexusTranscript))]
[JsonSerializable(typeof(VoxNexusFlushDone))]
[JsonSerializable(typeof(VoxNexusAudio))]
[JsonSerializable(typeof(SmallestPlainError))]
[JsonSerializable(typeof(SmallestTypedError))]
[JsonSerializable(typeof(SmallestStatusError))]
internal sealed partial class EmulatorJsonContext : JsonSerializerContext;
