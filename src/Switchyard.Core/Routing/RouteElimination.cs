using System.Text.Json.Serialization;

namespace Switchyard.Routing;

/// <summary>A candidate removed from a request without being tried.</summary>
/// <param name="Model">The candidate model.</param>
/// <param name="Reason">Why it was removed (e.g. <c>circuit open</c>).</param>
public sealed record RouteElimination(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("reason")] string Reason);
