using System.Text.Json.Serialization;

namespace Switchyard.Economics;

/// <summary>Dollars per month of each option at the workload's volume (all <see langword="null"/> when the volume is unknown).</summary>
/// <param name="Hosted">Every request to the hosted model.</param>
/// <param name="SelfHosted">The self-hosted fleet sized for the peak, spares and operations included.</param>
/// <param name="Hybrid">The <see cref="HybridPlan"/>: base replicas self-hosted, the rest hosted.</param>
public sealed record MonthlyCostComparison(
    [property: JsonPropertyName("hosted")] decimal? Hosted,
    [property: JsonPropertyName("self_hosted")] decimal? SelfHosted,
    [property: JsonPropertyName("hybrid")] decimal? Hybrid);
