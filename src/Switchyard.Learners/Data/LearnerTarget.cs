using System.Text.Json.Serialization;
using Switchyard.Evaluation;
using Switchyard.Routing.Difficulty;

namespace Switchyard.Routing.Learners;

/// <summary>
/// One quantity a learner predicts per prompt, in [0, 1]: a model's score, or whether a cheaper model was good enough
/// against a stronger one (1 when its score reached the stronger one's less <see cref="Margin"/>, exactly the target
/// of <see cref="DifficultyTrainer"/>, so P(good enough) means the same as for the linear difficulty router).
/// </summary>
/// <param name="Model">The model whose score this is, or the cheaper model of a good-enough target.</param>
/// <param name="Strong">The stronger model of a good-enough target; null for a score target.</param>
/// <param name="Margin">Good-enough targets only: how far below the stronger score still counts as good enough.</param>
public sealed record LearnerTarget(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("strong"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Strong = null,
    [property: JsonPropertyName("margin")] double Margin = 0)
{
    /// <summary>Whether this is a good-enough target (else a score target).</summary>
    [JsonIgnore]
    public bool IsGoodEnough => Strong is not null;

    /// <summary>The score of <paramref name="model"/>.</summary>
    public static LearnerTarget Score(string model)
    {
        ArgumentException.ThrowIfNullOrEmpty(model);
        return new LearnerTarget(model);
    }

    /// <summary>Whether <paramref name="weak"/> was good enough against <paramref name="strong"/>.</summary>
    public static LearnerTarget GoodEnough(string weak, string strong, double margin = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(weak);
        ArgumentException.ThrowIfNullOrEmpty(strong);
        if (!(margin >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(margin), margin, "The margin must not be negative.");
        }

        return new LearnerTarget(weak, strong, margin);
    }

    /// <summary>The targets of a weak/strong pair: both scores and the good-enough target.</summary>
    public static IReadOnlyList<LearnerTarget> ForPair(string weak, string strong, double margin = 0) =>
        [Score(weak), Score(strong), GoodEnough(weak, strong, margin)];

    /// <summary>Every model's score, and one good-enough target per cheaper model against the last (strongest).</summary>
    public static IReadOnlyList<LearnerTarget> ForModels(IReadOnlyList<string> cheapestFirst, double margin = 0)
    {
        ArgumentNullException.ThrowIfNull(cheapestFirst);
        if (cheapestFirst.Count < 2)
        {
            throw new ArgumentException("At least two models are needed: the cheaper ones first, the strongest last.", nameof(cheapestFirst));
        }

        var targets = cheapestFirst.Select(Score).ToList();
        for (var i = 0; i < cheapestFirst.Count - 1; i++)
        {
            targets.Add(GoodEnough(cheapestFirst[i], cheapestFirst[^1], margin));
        }

        return targets;
    }

    /// <summary>The target's value on a recorded prompt, or NaN when a model it needs has no outcome there.</summary>
    public double ValueOf(OutcomeRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!record.Outcomes.TryGetValue(Model, out var own))
        {
            return double.NaN;
        }

        if (Strong is null)
        {
            return Math.Clamp(own.Score, 0, 1);
        }

        return record.Outcomes.TryGetValue(Strong, out var strong) ? DifficultyTrainer.Label(own.Score, strong.Score, Margin) : double.NaN;
    }

    /// <inheritdoc />
    public override string ToString() => IsGoodEnough ? $"good_enough({Model} vs {Strong})" : $"score({Model})";
}
