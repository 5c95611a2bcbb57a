using System.Text.Json.Serialization;

namespace SpeechStream.Engine.Providers.IApp;

/// <summary>
/// Source-generated System.Text.Json metadata for the IApp messages the engine writes (no reflection, so the native
/// CLI serializes them too): snake_case names and unset (null) fields left out, as the provider's documents spell them
/// (README.md beside this file). One context per provider folder, so a new provider adds its own.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IAppEndOfStream))]
internal sealed partial class IAppJsonContext : JsonSerializerContext;
