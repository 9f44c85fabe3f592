using System.Text.Json.Serialization;

namespace Switchyard.Routing.Learners;

/// <summary>Source-generated JSON for learned router files (snake_case; NaN figures written as "NaN").</summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(LearnedRouterFile))]
internal sealed partial class RouterJsonContext : JsonSerializerContext;
