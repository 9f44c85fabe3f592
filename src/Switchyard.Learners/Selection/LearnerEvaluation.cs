using Switchyard.Embeddings;
using Switchyard.Evaluation;

namespace Switchyard.Routing.Learners;

/// <summary>
/// Runs <see cref="LearnerSelection"/> on a recorded outcome table for a weak/strong pair: embeds the prompts with the
/// given embedder, cross-validates every learner (5 folds by default) and returns the table. Writes nothing.
/// </summary>
public static class LearnerEvaluation
{
    /// <summary>Cross-validates the learners on the prompts of <paramref name="outcomes"/> that have both models' outcomes.</summary>
    /// <param name="outcomes">The outcome table (e.g. from <c>RouteLlmReader</c> or <c>OutcomeJsonl</c>).</param>
    /// <param name="weak">The cheaper model.</param>
    /// <param name="strong">The stronger model.</param>
    /// <param name="embedder">Embeds the prompts (wrap it in a <see cref="CachingEmbedder"/> to reuse embeddings across runs).</param>
    /// <param name="settings">Folds (default 5), seed, margin.</param>
    /// <param name="learners">The candidates besides the length baseline (default <see cref="LearnerSelection.DefaultLearners"/>).</param>
    public static LearnerSelectionResult Run(
        OutcomeSet outcomes,
        string weak,
        string strong,
        ITextEmbedder embedder,
        LearnerSelectionSettings? settings = null,
        IReadOnlyList<IScoreLearner>? learners = null)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        ArgumentNullException.ThrowIfNull(embedder);
        settings ??= new LearnerSelectionSettings();
        var records = outcomes.Records.Where(r => r.Outcomes.ContainsKey(weak) && r.Outcomes.ContainsKey(strong)).ToList();
        if (records.Count == 0)
        {
            throw new ArgumentException($"No prompt of '{outcomes.Name}' has outcomes for both '{weak}' and '{strong}'.", nameof(outcomes));
        }

        var data = TrainingSet.Build(records, LearnerTarget.ForPair(weak, strong, settings.Margin), new PromptEncoder(embedder));
        return LearnerSelection.Run(data, weak, strong, learners, settings);
    }
}
