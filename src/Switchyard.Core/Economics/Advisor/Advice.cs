using System.Text.Json.Serialization;

namespace Switchyard.Economics;

/// <summary>
/// The advisor's answer: verdict, reasons with their figures, and the figures themselves. Money is rounded to cents
/// (per-request and per-million figures to 8 decimals), utilizations to 4 decimals, volumes up to whole requests.
/// </summary>
public sealed record Advice
{
    /// <summary><c>"self-host"</c>, <c>"hosted"</c> or <c>"hybrid"</c> (<see cref="Verdicts"/>).</summary>
    [JsonPropertyName("verdict")]
    public required string Verdict { get; init; }

    /// <summary>The reasons, leans first (self-host, then hosted), then the neutral ones; the last states the rule applied.</summary>
    [JsonPropertyName("reasons")]
    public required IReadOnlyList<AdviceReason> Reasons { get; init; }

    /// <summary>Monthly cost of each option at the workload's volume.</summary>
    [JsonPropertyName("monthly_cost")]
    public required MonthlyCostComparison MonthlyCost { get; init; }

    /// <summary>U*: the utilization at which a replica costs what the hosted model does per output token of this mix.</summary>
    [JsonPropertyName("crossover_utilization")]
    public double? CrossoverUtilization { get; init; }

    /// <summary>The first monthly volume at which self-hosting costs no more than hosting (<see langword="null"/>: never).</summary>
    [JsonPropertyName("crossover_monthly_requests")]
    public double? CrossoverMonthlyRequests { get; init; }

    /// <summary>The highest fleet utilization this traffic shape allows: max utilization ÷ peak-to-mean.</summary>
    [JsonPropertyName("utilization_ceiling")]
    public double UtilizationCeiling { get; init; }

    /// <summary>Fleet utilization U at the workload's volume (<see langword="null"/> when unknown).</summary>
    [JsonPropertyName("utilization")]
    public double? Utilization { get; init; }

    /// <summary>Replicas paid for at the workload's volume, spares included.</summary>
    [JsonPropertyName("replicas")]
    public int? Replicas { get; init; }

    /// <summary>Replicas the peak needs.</summary>
    [JsonPropertyName("serving_replicas")]
    public int? ServingReplicas { get; init; }

    /// <summary>Requests per month (<see langword="null"/> when unknown).</summary>
    [JsonPropertyName("monthly_requests")]
    public double? MonthlyRequests { get; init; }

    /// <summary>How the volume was classed (<see cref="VolumeClasses"/>).</summary>
    [JsonPropertyName("volume")]
    public required string Volume { get; init; }

    /// <summary>Whether peak-to-mean is above <see cref="AdvisorOptions.SpikyPeakToMean"/>.</summary>
    [JsonPropertyName("spiky")]
    public bool Spiky { get; init; }

    /// <summary>The hosted option's catalog id.</summary>
    [JsonPropertyName("hosted_model")]
    public required string HostedModel { get; init; }

    /// <summary>Hosted dollars per request.</summary>
    [JsonPropertyName("hosted_cost_per_request")]
    public decimal HostedCostPerRequest { get; init; }

    /// <summary>Self-hosted dollars per request at the workload's volume.</summary>
    [JsonPropertyName("self_hosted_cost_per_request")]
    public decimal? SelfHostedCostPerRequest { get; init; }

    /// <summary>Hosted dollars per million output tokens of this mix (input folded in).</summary>
    [JsonPropertyName("hosted_per_million_output_tokens")]
    public decimal HostedPerMillionOutputTokens { get; init; }

    /// <summary>Self-hosted dollars per million output tokens at the workload's volume.</summary>
    [JsonPropertyName("self_hosted_per_million_output_tokens")]
    public decimal? SelfHostedPerMillionOutputTokens { get; init; }

    /// <summary>What the smallest self-hosted fleet (one serving replica plus spares, plus operations) costs per month.</summary>
    [JsonPropertyName("self_hosted_minimum_monthly")]
    public decimal SelfHostedMinimumMonthly { get; init; }

    /// <summary>The hybrid behind <see cref="MonthlyCostComparison.Hybrid"/> (<see langword="null"/> when the volume is unknown).</summary>
    [JsonPropertyName("hybrid")]
    public HybridPlan? Hybrid { get; init; }

    /// <summary>Defaults taken for absent fields, and caveats on the inputs.</summary>
    [JsonPropertyName("assumptions")]
    public required IReadOnlyList<string> Assumptions { get; init; }
}
