using System.Text.Json.Serialization;

namespace Switchyard.Evaluation.Metrics;

/// <summary>
/// One operating point of a router on a test set: what share of the prompts went to the strong model,
/// what that cost, and the quality reached.
/// </summary>
/// <remarks>
/// For a thresholded router this is one threshold of the RouteLLM sweep; for <see cref="RoutingEvaluator.Oracle"/>
/// it is one budget of strong calls (the x-axis of RouteLLM's "Optimal" curve).
/// <see cref="Pgr"/> is <see cref="double.NaN"/> when the strong model is on average no better than the weak one;
/// JSON writes it, like every other metric that can be undefined, as the string <c>"NaN"</c>.
/// </remarks>
/// <param name="StrongShare">Share of the prompts sent to the strong model, in [0, 1] (for the oracle: the share it may send).</param>
/// <param name="Cost">Mean cost per prompt at this point (with the default costs, weak 0 and strong 1, it equals the strong share actually used).</param>
/// <param name="Quality">Mean quality per prompt at this point.</param>
/// <param name="Pgr">Performance gap recovered: (quality − weak mean) / (strong mean − weak mean); NaN when that gap is not positive.</param>
public sealed record CurvePoint(
    [property: JsonPropertyName("strong_share")] double StrongShare,
    [property: JsonPropertyName("cost")] double Cost,
    [property: JsonPropertyName("quality")] double Quality,
    [property: JsonPropertyName("pgr"), JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)] double Pgr);
