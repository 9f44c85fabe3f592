using System.Text.Json.Serialization;

namespace Switchyard.Evaluation.Metrics;

/// <summary>The routing metrics of one router on one test set, with the curve they were computed from.</summary>
/// <remarks>
/// Shares are fractions: multiply a CPT by 100 to get the percentage RouteLLM prints.
/// A metric that is undefined on the data (see <see cref="RoutingEvaluator"/>) is <see cref="double.NaN"/> and
/// JSON writes it as the string <c>"NaN"</c>.
/// </remarks>
/// <param name="Router">The router's name.</param>
/// <param name="Apgr">Average performance gap recovered (RouteLLM): the trapezoid area under PGR over the strong share, divided by the share range.</param>
/// <param name="Cpt20">Call-performance threshold CPT(20%): the smallest strong share at which the interpolated curve reaches 20% PGR; 1 if it never does.</param>
/// <param name="Cpt50">CPT(50%), as <paramref name="Cpt20"/>.</param>
/// <param name="Cpt80">CPT(80%), as <paramref name="Cpt20"/>.</param>
/// <param name="Aiq">Average improvement in quality (RouterBench): area under the non-decreasing convex hull of the (cost, quality) points over the data's cost range, divided by that range.</param>
/// <param name="Curve">The router's operating points, ordered by strong share.</param>
public sealed record RouterEvaluation(
    [property: JsonPropertyName("router")] string Router,
    [property: JsonPropertyName("apgr"), JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)] double Apgr,
    [property: JsonPropertyName("cpt20"), JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)] double Cpt20,
    [property: JsonPropertyName("cpt50"), JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)] double Cpt50,
    [property: JsonPropertyName("cpt80"), JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)] double Cpt80,
    [property: JsonPropertyName("aiq"), JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)] double Aiq,
    [property: JsonPropertyName("curve")] IReadOnlyList<CurvePoint> Curve);
