using System.Text.Json.Serialization;

namespace Switchyard.Routing;

/// <summary>Source-generated JSON metadata for routing values (no reflection on the request path).</summary>
[JsonSerializable(typeof(RouteDecision))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
public sealed partial class RoutingJsonContext : JsonSerializerContext;
