using System.Text.Json.Serialization;
using Switchyard.Evaluation.Metrics;

namespace Switchyard.Evaluation.Simulation;

/// <summary>The result of a routing simulation: every router's metrics on the held-out prompts.</summary>
/// <param name="Routers">Router name (<c>learned</c>, <c>length</c>, <c>random</c>, <c>oracle</c>, <c>always_weak</c>, <c>always_strong</c>) → metrics.</param>
/// <param name="TestPrompts">Held-out prompts evaluated.</param>
/// <param name="TrainPrompts">Prompts the learned router was trained on.</param>
/// <param name="Weak">The cheaper model.</param>
/// <param name="Strong">The stronger model.</param>
public sealed record SimulationReport(
    [property: JsonPropertyName("routers")] IReadOnlyDictionary<string, RouterEvaluation> Routers,
    [property: JsonPropertyName("test_prompts")] int TestPrompts,
    [property: JsonPropertyName("train_prompts")] int TrainPrompts,
    [property: JsonPropertyName("weak")] string Weak,
    [property: JsonPropertyName("strong")] string Strong)
{
    /// <summary>Where the outcomes came from.</summary>
    [JsonPropertyName("source")]
    public string? Source { get; init; }

    /// <summary>The seed of the split, training and random router.</summary>
    [JsonPropertyName("seed")]
    public int Seed { get; init; }

    /// <summary>Mean quality of the weak model on the test prompts.</summary>
    [JsonPropertyName("weak_mean")]
    public double WeakMean { get; init; }

    /// <summary>Mean quality of the strong model on the test prompts.</summary>
    [JsonPropertyName("strong_mean")]
    public double StrongMean { get; init; }

    /// <summary>Whether cost is in dollars from per-prompt outcomes (true) or the share of strong calls (false).</summary>
    [JsonPropertyName("cost_in_dollars")]
    public bool CostInDollars { get; init; }

    /// <summary>What the learned router's training chose (e.g. the learner cross-validation picked), when a trainer was given.</summary>
    [JsonPropertyName("learner")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Learner { get; init; }

    /// <summary>Training prompts dropped because the same prompt is in the test set (separate train and test files).</summary>
    [JsonPropertyName("train_overlap_dropped")]
    public int TrainOverlapDropped { get; init; }

    /// <summary>Every held-out prompt, in evaluation order: its id, the learned and length scores, and both models' outcomes.</summary>
    [JsonPropertyName("predictions")]
    public IReadOnlyList<PromptPrediction> Predictions { get; init; } = [];
}
