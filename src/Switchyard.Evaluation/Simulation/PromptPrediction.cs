using System.Text.Json.Serialization;

namespace Switchyard.Evaluation.Simulation;

/// <summary>
/// One held-out prompt of a simulation: its id, what each scored router said about it and how both models did, so that
/// a baseline or a bootstrap can be added outside Switchyard from the JSON alone.
/// </summary>
/// <param name="Id">The prompt's id in the outcome source.</param>
/// <param name="Learned">The learned router's score: 1 − its predicted probability that the weak answer is good enough (higher = more inclined to the strong model).</param>
/// <param name="Length">The length baseline's score: the length in characters of the last user message.</param>
/// <param name="WeakScore">The weak model's quality on the prompt (0–1).</param>
/// <param name="StrongScore">The strong model's quality on the prompt (0–1).</param>
public sealed record PromptPrediction(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("learned")] double Learned,
    [property: JsonPropertyName("length")] double Length,
    [property: JsonPropertyName("weak_score")] double WeakScore,
    [property: JsonPropertyName("strong_score")] double StrongScore)
{
    /// <summary>What the weak model's answer cost in US dollars, when the outcome records it.</summary>
    [JsonPropertyName("weak_cost")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public decimal? WeakCost { get; init; }

    /// <summary>What the strong model's answer cost in US dollars, when the outcome records it.</summary>
    [JsonPropertyName("strong_cost")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public decimal? StrongCost { get; init; }

    /// <summary>The hashed n-gram router's score, when it is reported beside a learned router.</summary>
    [JsonPropertyName("ngram")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Ngram { get; init; }

    /// <summary>The prompt's group in the source (e.g. the MMLU subject, or the source of a mixed set), when it has one.</summary>
    [JsonPropertyName("group")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Group { get; init; }
}
