using System.Text.Json.Serialization;

namespace Switchyard.Routing;

/// <summary>One step of a routing strategy's decision: a candidate scored against a threshold.</summary>
/// <param name="Model">The candidate.</param>
/// <param name="Method"><c>difficulty</c>, or the cascade verifier (<c>judge</c>, <c>self_consistency</c>, <c>skipped</c>).</param>
/// <param name="Score">Difficulty: P(this candidate's answer is good enough). Cascade: the verifier's score.</param>
/// <param name="Threshold">The threshold it was compared with.</param>
/// <param name="Escalated">Whether the request went past this candidate.</param>
/// <param name="Detail">The calibration target or the verifier's short note.</param>
public sealed record StrategyStep(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("score")] double Score,
    [property: JsonPropertyName("threshold")] double Threshold,
    [property: JsonPropertyName("escalated")] bool Escalated,
    [property: JsonPropertyName("detail")] string? Detail);
