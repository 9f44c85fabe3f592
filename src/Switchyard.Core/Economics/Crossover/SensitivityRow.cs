using System.Text.Json.Serialization;

namespace Switchyard.Economics;

/// <summary>One row of a <see cref="SensitivityTable"/>: the comparison with one input scaled.</summary>
public sealed record SensitivityRow
{
    /// <summary>The multiplier applied to the varied input (1 = the base case).</summary>
    [JsonPropertyName("factor")]
    public double Factor { get; init; }

    /// <summary>The varied input's value at this factor (dollars per hour, tokens per second, requests per day, or hosted dollars per request).</summary>
    [JsonPropertyName("value")]
    public double Value { get; init; }

    /// <summary>Self-hosted monthly cost (hardware, spares and operations).</summary>
    [JsonPropertyName("self_hosted_monthly")]
    public decimal SelfHostedMonthly { get; init; }

    /// <summary>Hosted monthly cost.</summary>
    [JsonPropertyName("hosted_monthly")]
    public decimal HostedMonthly { get; init; }

    /// <summary>Replicas paid for.</summary>
    [JsonPropertyName("replicas")]
    public int Replicas { get; init; }

    /// <summary>Fleet utilization.</summary>
    [JsonPropertyName("utilization")]
    public double Utilization { get; init; }

    /// <summary>U*, the break-even utilization (see <see cref="CrossoverPoint.BreakEvenUtilization"/>).</summary>
    [JsonPropertyName("crossover_utilization")]
    public double? CrossoverUtilization { get; init; }

    /// <summary>The first monthly volume at which self-hosting costs no more than hosting (see <see cref="CrossoverPoint.BreakEvenMonthlyRequests"/>).</summary>
    [JsonPropertyName("crossover_monthly_requests")]
    public double? CrossoverMonthlyRequests { get; init; }

    /// <summary><c>"self-host"</c> when self-hosting costs no more than hosting at this row, else <c>"hosted"</c>.</summary>
    [JsonPropertyName("cheaper")]
    public required string Cheaper { get; init; }
}
