using System.Text.Json.Serialization;

namespace Switchyard.Routing;

/// <summary>One upstream call made for a request.</summary>
/// <param name="Model">The candidate model tried.</param>
/// <param name="Provider">Its provider id.</param>
/// <param name="Outcome"><c>ok</c>, <c>cancelled</c>, or the failure (e.g. <c>server_error 503</c>).</param>
/// <param name="DurationMs">Time spent in the call.</param>
/// <param name="OutputCommitted">Whether streamed output had reached the caller (no failover is possible after that).</param>
public sealed record RouteAttempt(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("provider")] string Provider,
    [property: JsonPropertyName("outcome")] string Outcome,
    [property: JsonPropertyName("duration_ms")] double DurationMs,
    [property: JsonPropertyName("output_committed")] bool OutputCommitted);
