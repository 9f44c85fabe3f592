using System.Text.Json.Serialization;

namespace Switchyard.Economics.Replay;

/// <summary>What the window's traffic cost, or would have cost, under one choice.</summary>
/// <param name="Option">e.g. <c>recorded</c>, <c>all-hosted gpt-4o</c>, <c>all-self-hosted</c>, <c>hybrid (policy in force)</c>.</param>
/// <param name="Cost">US dollars over the window.</param>
/// <param name="MonthlyCost">The same scaled to a month (30.4 days).</param>
/// <param name="Detail">How it was computed (replicas, utilization, which prices).</param>
public sealed record ReplayOption(
    [property: JsonPropertyName("option")] string Option,
    [property: JsonPropertyName("cost")] decimal Cost,
    [property: JsonPropertyName("monthly_cost")] decimal MonthlyCost,
    [property: JsonPropertyName("detail")] string Detail);
