using System.Text.Json.Serialization;

namespace Switchyard.Routing.Difficulty;

/// <summary>Source-generated JSON for the router file (no reflection at load).</summary>
[JsonSourceGenerationOptions(WriteIndented = false, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DifficultyRouterFile))]
internal sealed partial class DifficultyJsonContext : JsonSerializerContext;
