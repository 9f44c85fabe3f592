using System.Text.Json.Serialization;

namespace Switchyard.Routing.Difficulty;

/// <summary>
/// A threshold on P(good enough): a request whose prediction is below it escalates past the cheaper model. Carries
/// what the calibration set says it achieves.
/// </summary>
/// <param name="Threshold">Escalate when P(good enough) &lt; this.</param>
/// <param name="StrongShare">Share of calibration prompts that escalate at this threshold.</param>
/// <param name="Pgr">Performance gap recovered on the calibration prompts (1 = the strong model's mean quality).</param>
/// <param name="Target">The target it was calibrated to, e.g. <c>strong_share 0.3</c> or <c>pgr 0.9</c>.</param>
public sealed record CalibratedThreshold(
    [property: JsonPropertyName("threshold")] double Threshold,
    [property: JsonPropertyName("strong_share")] double StrongShare,
    [property: JsonPropertyName("pgr")] double Pgr,
    [property: JsonPropertyName("target")] string Target)
{
    /// <summary>Mean quality on the calibration prompts at this threshold, when the calibrator reports it.</summary>
    [JsonPropertyName("quality")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Quality { get; init; }

    /// <summary>Mean cost per calibration prompt at this threshold (the calibration set's unit), when the calibrator reports it.</summary>
    [JsonPropertyName("mean_cost")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? MeanCost { get; init; }

    /// <summary>Whether a request with this P(good enough) escalates past the cheaper model (a threshold of 1 escalates all).</summary>
    public bool Escalates(double pGood) => Threshold >= 1 || pGood < Threshold;
}
