using System.Text.Json.Serialization;

namespace Switchyard.Routing;

/// <summary>What a route's strategy did for one request (part of <see cref="RouteDecision"/>).</summary>
/// <param name="Kind"><c>difficulty</c> or <c>cascade</c>.</param>
/// <param name="Steps">Each candidate scored, in order.</param>
public sealed record RouteStrategyTrace(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("steps")] IReadOnlyList<StrategyStep> Steps);
