using System.Text.Json.Serialization;

namespace Switchyard.Evaluation.Simulation;

/// <summary>One router's metrics over several seeds (see <see cref="Metrics.RouterEvaluation"/> for what each metric is).</summary>
/// <param name="Apgr">Average performance gap recovered.</param>
/// <param name="Cpt20">Share of strong calls needed for 20% of the quality gap.</param>
/// <param name="Cpt50">Share of strong calls needed for 50% of the quality gap.</param>
/// <param name="Cpt80">Share of strong calls needed for 80% of the quality gap.</param>
/// <param name="Aiq">Average improvement in quality (RouterBench).</param>
public sealed record RouterSummary(
    [property: JsonPropertyName("apgr")] MetricSummary Apgr,
    [property: JsonPropertyName("cpt20")] MetricSummary Cpt20,
    [property: JsonPropertyName("cpt50")] MetricSummary Cpt50,
    [property: JsonPropertyName("cpt80")] MetricSummary Cpt80,
    [property: JsonPropertyName("aiq")] MetricSummary Aiq);
