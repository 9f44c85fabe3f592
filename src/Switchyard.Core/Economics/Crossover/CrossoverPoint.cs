using System.Text.Json.Serialization;

namespace Switchyard.Economics;

/// <summary>Where a self-hosted option breaks even with one hosted option (see <see cref="Crossover"/> for the definitions).</summary>
public sealed record CrossoverPoint
{
    /// <summary>The hosted option's catalog id.</summary>
    [JsonPropertyName("hosted_model")]
    public required string HostedModel { get; init; }

    /// <summary>Hosted dollars per request of the traffic's mix.</summary>
    [JsonPropertyName("hosted_cost_per_request")]
    public decimal HostedCostPerRequest { get; init; }

    /// <summary>Hosted dollars per million output tokens of the mix (input folded in): cost per request ÷ output tokens × 10⁶.</summary>
    [JsonPropertyName("hosted_per_million_output_tokens")]
    public decimal HostedPerMillionOutputTokens { get; init; }

    /// <summary>One replica's cost per hour.</summary>
    [JsonPropertyName("replica_hourly_cost")]
    public decimal ReplicaHourlyCost { get; init; }

    /// <summary>A replica's dollars per million output tokens when 100% busy: hourly ÷ (throughput × 3600 ÷ 10⁶).</summary>
    [JsonPropertyName("replica_per_million_output_tokens_at_full_load")]
    public decimal ReplicaPerMillionOutputTokensAtFullLoad { get; init; }

    /// <summary>
    /// U*: the utilization at which a replica's cost per output token equals the hosted price per output token of the
    /// mix (replica cost at full load ÷ hosted per output token); <see langword="null"/> when hosting is free. Above 1
    /// self-hosting never wins.
    /// </summary>
    [JsonPropertyName("break_even_utilization")]
    public double? BreakEvenUtilization { get; init; }

    /// <summary>
    /// The highest fleet utilization this traffic allows as volume grows: max utilization ÷ peak-to-mean (spares
    /// amortized away). Self-hosting can break even only if U* is below it.
    /// </summary>
    [JsonPropertyName("utilization_ceiling")]
    public double UtilizationCeiling { get; init; }

    /// <summary>
    /// The first monthly request volume at which self-hosting (integer replicas, spares and operations included) costs
    /// no more than hosting; <see langword="null"/> when it never does up to the search limit.
    /// </summary>
    [JsonPropertyName("break_even_monthly_requests")]
    public double? BreakEvenMonthlyRequests { get; init; }

    /// <summary><see cref="BreakEvenMonthlyRequests"/> ÷ days per month.</summary>
    [JsonPropertyName("break_even_requests_per_day")]
    public double? BreakEvenRequestsPerDay { get; init; }

    /// <summary>Replicas paid for at the break-even volume.</summary>
    [JsonPropertyName("break_even_replicas")]
    public int? BreakEvenReplicas { get; init; }

    /// <summary>The monthly cost of either option at the break-even volume.</summary>
    [JsonPropertyName("break_even_monthly_cost")]
    public decimal? BreakEvenMonthlyCost { get; init; }
}
