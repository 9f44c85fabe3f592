using System.Text.Json.Serialization;
using Switchyard.Evaluation.Metrics;

namespace Switchyard.Routing.Learners.Verification;

/// <summary>
/// How one cascade verifier (or reference router) did in <see cref="CascadeSimulation"/>: the routing metrics against
/// the share of strong calls, and its cost curve with what it really pays per prompt.
/// </summary>
/// <param name="Verifier">The name: <c>learned</c>, <c>answer-length</c>, <c>prompt-length</c>, <c>random</c> or <c>oracle</c>.</param>
/// <param name="PaysCheapCall">
/// True for a cascade (it reads the cheap answer, so the cheap call is always paid: cost = weak + (escalated ? strong : 0));
/// false for a router that decides before calling (<c>prompt-length</c>: cost = escalated ? strong : weak).
/// </param>
/// <param name="Apgr">RouteLLM's APGR over the share of strong calls.</param>
/// <param name="Cpt50">The strong-call share that recovers 50% of the quality gap.</param>
/// <param name="Aiq">RouterBench's AIQ with cost = strong-call share (weak 0, strong 1).</param>
/// <param name="CostAiq">
/// AIQ with the real mean cost per prompt (<paramref name="PaysCheapCall"/>), over the common range from the weak
/// cost alone (all accepted) to weak + strong (all escalated by a cascade), so cascades and routers compare.
/// </param>
/// <param name="CostAtCpt50">The mean cost per prompt at <paramref name="Cpt50"/> (linear between curve points).</param>
/// <param name="ByShare">The full evaluation with cost = strong-call share.</param>
/// <param name="ByCost">The full evaluation with the real cost (its curve's <see cref="CurvePoint.Cost"/> is the mean cost per prompt).</param>
public sealed record CascadeFigures(
    [property: JsonPropertyName("verifier")] string Verifier,
    [property: JsonPropertyName("pays_cheap_call")] bool PaysCheapCall,
    [property: JsonPropertyName("apgr"), JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)] double Apgr,
    [property: JsonPropertyName("cpt50"), JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)] double Cpt50,
    [property: JsonPropertyName("aiq"), JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)] double Aiq,
    [property: JsonPropertyName("cost_aiq"), JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)] double CostAiq,
    [property: JsonPropertyName("cost_at_cpt50"), JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)] double CostAtCpt50,
    [property: JsonPropertyName("by_share")] RouterEvaluation ByShare,
    [property: JsonPropertyName("by_cost")] RouterEvaluation ByCost);
