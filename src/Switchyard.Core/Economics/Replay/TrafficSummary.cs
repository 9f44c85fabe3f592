using System.Text.Json.Serialization;

namespace Switchyard.Economics.Replay;

/// <summary>
/// The recorded traffic of a window, as the cost model needs it: volume, token mix, the mean and peak output rate
/// (peak = the busiest minute) and what it cost.
/// </summary>
/// <param name="From">Start of the window.</param>
/// <param name="To">End of the window (exclusive).</param>
/// <param name="Requests">Requests with tokens counted (served, or cut off after some output).</param>
/// <param name="InputTokens">Input tokens, cached ones included.</param>
/// <param name="CachedInputTokens">Input tokens read from a cache.</param>
/// <param name="OutputTokens">Output tokens.</param>
/// <param name="RecordedCost">What the ledger recorded: the cost under the routing policy in force.</param>
/// <param name="MeanOutputTokensPerSecond">Output tokens ÷ the window's seconds.</param>
/// <param name="PeakOutputTokensPerSecond">Output tokens of the busiest minute ÷ 60.</param>
/// <param name="ByModel">Per served model, busiest first.</param>
public sealed record TrafficSummary(
    [property: JsonPropertyName("from")] DateTimeOffset From,
    [property: JsonPropertyName("to")] DateTimeOffset To,
    [property: JsonPropertyName("requests")] long Requests,
    [property: JsonPropertyName("input_tokens")] long InputTokens,
    [property: JsonPropertyName("cached_input_tokens")] long CachedInputTokens,
    [property: JsonPropertyName("output_tokens")] long OutputTokens,
    [property: JsonPropertyName("recorded_cost")] decimal RecordedCost,
    [property: JsonPropertyName("mean_output_tokens_per_second")] double MeanOutputTokensPerSecond,
    [property: JsonPropertyName("peak_output_tokens_per_second")] double PeakOutputTokensPerSecond,
    [property: JsonPropertyName("by_model")] IReadOnlyList<ModelTraffic> ByModel)
{
    /// <summary>Output tokens of the busiest minute of the traffic served inside the boundary (zone <c>self</c>) ÷ 60.</summary>
    [JsonPropertyName("self_peak_output_tokens_per_second")]
    public double SelfPeakOutputTokensPerSecond { get; init; }

    /// <summary>The first record in the window, when there is one.</summary>
    [JsonPropertyName("first_record")]
    public DateTimeOffset? FirstRecord { get; init; }

    /// <summary>Length of the window in days.</summary>
    [JsonPropertyName("days")]
    public double Days => (To - From).TotalDays;

    /// <summary>Requests per day over the window.</summary>
    [JsonPropertyName("requests_per_day")]
    public double RequestsPerDay => Days > 0 ? Requests / Days : 0;

    /// <summary>Peak over mean output rate (1 when there is no traffic).</summary>
    [JsonPropertyName("peak_to_mean")]
    public double PeakToMean => MeanOutputTokensPerSecond > 0 ? PeakOutputTokensPerSecond / MeanOutputTokensPerSecond : 1;

    /// <summary>Mean input tokens per request.</summary>
    [JsonPropertyName("mean_input_tokens")]
    public double MeanInputTokens => Requests > 0 ? (double)InputTokens / Requests : 0;

    /// <summary>Mean output tokens per request.</summary>
    [JsonPropertyName("mean_output_tokens")]
    public double MeanOutputTokens => Requests > 0 ? (double)OutputTokens / Requests : 0;
}
