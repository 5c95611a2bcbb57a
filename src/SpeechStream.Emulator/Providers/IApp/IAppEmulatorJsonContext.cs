using System.Text.Json.Serialization;

namespace SpeechStream.Emulator;

/// <summary>
/// Source-generated System.Text.Json metadata for the JSON the IApp emulator sends (no reflection, so the emulator
/// runs inside the native CLI too): snake_case names, nulls written unless a field says otherwise, the default encoder
/// (non-ASCII and HTML-sensitive characters as <c>\uXXXX</c>), as this emulator has always written them. One context
/// per provider folder, so a new provider adds its own.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(IAppRealtime))]
internal sealed partial class IAppEmulatorJsonContext : JsonSerializerContext;
