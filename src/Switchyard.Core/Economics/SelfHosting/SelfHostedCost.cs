using System.Text.Json.Serialization;

namespace Switchyard.Economics;

/// <summary>What a self-hosted deployment costs at one traffic level (see <see cref="CostModel.Evaluate"/> for the formulas).</summary>
public sealed record SelfHostedCost
{
    /// <summary>Requests per month (requests per day × days per month).</summary>
    [JsonPropertyName("monthly_requests")]
    public double MonthlyRequests { get; init; }

    /// <summary>Mean load in output tokens per second.</summary>
    [JsonPropertyName("mean_output_tokens_per_second")]
    public double MeanOutputTokensPerSecond { get; init; }

    /// <summary>Peak load in output tokens per second (mean × peak-to-mean).</summary>
    [JsonPropertyName("peak_output_tokens_per_second")]
    public double PeakOutputTokensPerSecond { get; init; }

    /// <summary>Output tokens per second one replica serves at 100% utilization (the profile's throughput).</summary>
    [JsonPropertyName("replica_output_tokens_per_second")]
    public double ReplicaOutputTokensPerSecond { get; init; }

    /// <summary>Replicas the peak needs at the profile's maximum utilization (at least 1).</summary>
    [JsonPropertyName("serving_replicas")]
    public int ServingReplicas { get; init; }

    /// <summary>Serving replicas plus spares (redundancy): the replicas paid for.</summary>
    [JsonPropertyName("replicas")]
    public int Replicas { get; init; }

    /// <summary>Accelerators paid for: replicas × accelerators per replica.</summary>
    [JsonPropertyName("gpus")]
    public int Gpus { get; init; }

    /// <summary>
    /// Fleet utilization U: mean load ÷ (replicas × replica throughput), spares included — the share of paid capacity
    /// that does work.
    /// </summary>
    [JsonPropertyName("utilization")]
    public double Utilization { get; init; }

    /// <summary>Peak load ÷ (serving replicas × replica throughput): how hard the serving replicas run at the peak (at most the profile's maximum utilization).</summary>
    [JsonPropertyName("peak_utilization")]
    public double PeakUtilization { get; init; }

    /// <summary>Hours in the month (days per month × 24).</summary>
    [JsonPropertyName("hours_per_month")]
    public decimal HoursPerMonth { get; init; }

    /// <summary>One replica's cost per hour.</summary>
    [JsonPropertyName("replica_hourly_cost")]
    public decimal ReplicaHourlyCost { get; init; }

    /// <summary>One replica's cost per month.</summary>
    [JsonPropertyName("replica_monthly_cost")]
    public decimal ReplicaMonthlyCost { get; init; }

    /// <summary>Replicas × replica monthly cost.</summary>
    [JsonPropertyName("hardware_monthly_cost")]
    public decimal HardwareMonthlyCost { get; init; }

    /// <summary>Operations overhead per month.</summary>
    [JsonPropertyName("ops_monthly_cost")]
    public decimal OpsMonthlyCost { get; init; }

    /// <summary>Hardware plus operations per month.</summary>
    [JsonPropertyName("monthly_cost")]
    public decimal MonthlyCost { get; init; }

    /// <summary>Monthly cost ÷ monthly output tokens × 10⁶; <see langword="null"/> without traffic.</summary>
    [JsonPropertyName("cost_per_million_output_tokens")]
    public decimal? CostPerMillionOutputTokens { get; init; }

    /// <summary>Monthly cost ÷ monthly input-plus-output tokens × 10⁶ (blended); <see langword="null"/> without traffic.</summary>
    [JsonPropertyName("cost_per_million_tokens")]
    public decimal? CostPerMillionTokens { get; init; }

    /// <summary>Monthly cost ÷ monthly requests; <see langword="null"/> without traffic.</summary>
    [JsonPropertyName("cost_per_request")]
    public decimal? CostPerRequest { get; init; }
}
