using System.Text.Json.Serialization;

namespace Switchyard.Routing.Difficulty;

/// <summary>
/// Held-out predictions with the outcomes they predicted: for each calibration prompt, P(good enough) as predicted
/// by a model that did not see it, and both models' quality on it. Thresholds for any target are found on these.
/// </summary>
/// <param name="PGood">Predicted P(weak good enough), per prompt.</param>
/// <param name="Weak">The weak model's quality (0–1), per prompt.</param>
/// <param name="Strong">The strong model's quality (0–1), per prompt.</param>
public sealed record CalibrationSet(
    [property: JsonPropertyName("p_good")] double[] PGood,
    [property: JsonPropertyName("weak")] double[] Weak,
    [property: JsonPropertyName("strong")] double[] Strong)
{
    /// <summary>Number of prompts.</summary>
    [JsonIgnore]
    public int Count => PGood.Length;

    /// <summary>Throws unless the three arrays are equally long, non-empty and within [0, 1].</summary>
    public void Validate()
    {
        if (PGood.Length == 0 || Weak.Length != PGood.Length || Strong.Length != PGood.Length)
        {
            throw new FormatException("calibration: p_good, weak and strong must be non-empty and equally long.");
        }

        foreach (var v in PGood.Concat(Weak).Concat(Strong))
        {
            if (!(v is >= 0 and <= 1))
            {
                throw new FormatException($"calibration: value {v} is outside [0, 1].");
            }
        }
    }
}
