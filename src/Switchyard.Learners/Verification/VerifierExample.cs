using Microsoft.Extensions.AI;
using Switchyard.Evaluation;

namespace Switchyard.Routing.Learners.Verification;

/// <summary>
/// One training example of the learned cascade verifier: a conversation, the cheap (weak) model's recorded answer to
/// it and both models' scores there. The label is whether the weak answer was good enough:
/// weak score ≥ strong score − margin (<see cref="Difficulty.DifficultyTrainer.Label"/>).
/// </summary>
/// <param name="Id">The prompt's id (prompts with the same id or conversation share a cross-validation fold).</param>
/// <param name="Messages">The conversation the weak model answered.</param>
/// <param name="Answer">The weak model's answer text.</param>
/// <param name="WeakScore">The weak model's score, in [0, 1].</param>
/// <param name="StrongScore">The strong model's score, in [0, 1].</param>
public sealed record VerifierExample(string Id, IReadOnlyList<ChatMessage> Messages, string Answer, double WeakScore, double StrongScore)
{
    /// <summary>The weak answer's token log-probabilities, when they were recorded.</summary>
    public IReadOnlyList<double>? LogProbs { get; init; }

    /// <summary>What the weak call cost (US dollars), when recorded.</summary>
    public decimal? WeakCost { get; init; }

    /// <summary>What the strong call cost (US dollars), when recorded.</summary>
    public decimal? StrongCost { get; init; }

    /// <summary>
    /// The examples of <paramref name="records"/> for a weak/strong pair: every record with both models' outcomes whose
    /// weak outcome carries its answer (<see cref="ModelOutcome.Response"/>), in record order. Scores are clamped to
    /// [0, 1]; recorded costs are kept.
    /// </summary>
    /// <param name="records">Recorded outcomes (e.g. from <c>RouteLlmReader.ReadGsm8k</c>).</param>
    /// <param name="weak">The cheap model, whose answers are verified.</param>
    /// <param name="strong">The model the cascade escalates to.</param>
    /// <returns>The examples; empty when no record qualifies.</returns>
    public static IReadOnlyList<VerifierExample> FromRecords(IReadOnlyList<OutcomeRecord> records, string weak, string strong)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentException.ThrowIfNullOrEmpty(weak);
        ArgumentException.ThrowIfNullOrEmpty(strong);
        var examples = new List<VerifierExample>();
        foreach (var record in records)
        {
            if (record.Outcomes.TryGetValue(weak, out var w) && w.Response is { } answer && record.Outcomes.TryGetValue(strong, out var s))
            {
                examples.Add(new VerifierExample(record.Id, record.Messages, answer, Math.Clamp(w.Score, 0, 1), Math.Clamp(s.Score, 0, 1))
                {
                    WeakCost = w.Cost,
                    StrongCost = s.Cost,
                });
            }
        }

        return examples;
    }
}
