using System.Text.Json.Serialization;

namespace Switchyard.Economics;

/// <summary>A hybrid deployment: a self-hosted base fleet, the rest of the traffic hosted (see <see cref="HybridPlanner"/>).</summary>
public sealed record HybridPlan
{
    /// <summary>Self-hosted base replicas (no spares: the hosted API takes over when one fails). 0 = everything hosted.</summary>
    [JsonPropertyName("base_replicas")]
    public int BaseReplicas { get; init; }

    /// <summary>Share of requests that always go hosted (the workload's <c>hybrid_hosted_share</c>: requests that need the hosted model).</summary>
    [JsonPropertyName("always_hosted_share")]
    public double AlwaysHostedShare { get; init; }

    /// <summary>Share of the self-hostable load above the base fleet's capacity (the peaks), sent hosted.</summary>
    [JsonPropertyName("overflow_share")]
    public double OverflowShare { get; init; }

    /// <summary>Share of all requests served hosted: always-hosted + (1 − always-hosted) × overflow.</summary>
    [JsonPropertyName("hosted_share")]
    public double HostedShare { get; init; }

    /// <summary>Mean load of the base fleet ÷ its throughput (0 without base replicas).</summary>
    [JsonPropertyName("base_utilization")]
    public double BaseUtilization { get; init; }

    /// <summary>Base replicas × replica monthly cost, plus operations when there is at least one base replica.</summary>
    [JsonPropertyName("self_hosted_monthly")]
    public decimal SelfHostedMonthly { get; init; }

    /// <summary>Hosted share × monthly requests × hosted cost per request.</summary>
    [JsonPropertyName("hosted_monthly")]
    public decimal HostedMonthly { get; init; }

    /// <summary>The hybrid's monthly cost: self-hosted part plus hosted part.</summary>
    [JsonPropertyName("monthly_cost")]
    public decimal MonthlyCost { get; init; }
}
