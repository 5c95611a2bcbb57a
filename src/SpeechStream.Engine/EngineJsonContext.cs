using System.Text.Json.Serialization;
using SpeechStream.Engine.Providers.IApp;
using SpeechStream.Engine.Providers.VoxNexus;

namespace SpeechStream.Engine;

/// <summary>
/// Source-generated System.Text.Json metadata for the provider messages the engine writes (no reflection, so the
/// native CLI serializes them too): snake_case names and unset (null) fields left out, as each provider's documents
/// spell them. The shapes are the records beside each protocol (<see cref="IAppEndOfStream"/>,
/// <see cref="VoxNexusSttInit"/>, <see cref="VoxNexusTtsInit"/>, <see cref="VoxNexusTextFrame"/>); Smallest's seed
/// keyword array is a plain string list. The JSON lines rows have their own context (camelCase, nulls written).
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IAppEndOfStream))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(VoxNexusSttInit))]
[JsonSerializable(typeof(VoxNexusTtsInit))]
[JsonSerializable(typeof(VoxNexusTextFrame))]
internal sealed partial class EngineJsonContext : JsonSerializerContext;
