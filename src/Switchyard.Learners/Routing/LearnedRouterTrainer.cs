using Switchyard.Embeddings;
using Switchyard.Evaluation;

namespace Switchyard.Routing.Learners;

/// <summary>
/// Trains a <see cref="LearnedRouterModel"/> on recorded outcomes: embeds every prompt once, and for each cheaper
/// model cross-validates the length baseline and the learners against the strongest (<see cref="LearnerSelection"/>),
/// fits the chosen one on every prompt and keeps its out-of-fold predictions for calibration.
/// </summary>
public static class LearnedRouterTrainer
{
    /// <summary>Trains on the prompts of <paramref name="records"/> that have an outcome for every model.</summary>
    /// <param name="records">Recorded outcomes.</param>
    /// <param name="cheapestFirst">The models, cheapest first, the strongest last.</param>
    /// <param name="embedder">The sentence embedder (null: only the length baseline can be chosen).</param>
    /// <param name="embedderInfo">What to record about the embedder in the file.</param>
    /// <param name="settings">Folds, seed, margin.</param>
    /// <param name="learners">Learners besides the length baseline (default <see cref="LearnerSelection.DefaultLearners"/>; none without an embedder).</param>
    /// <param name="progress">Receives a line per step (embedding, each pair).</param>
    /// <param name="source">What the data is (for the file).</param>
    /// <param name="timeProvider">Clock for the file's creation time.</param>
    /// <exception cref="ArgumentException">Fewer than two models, a model without outcomes, or too few prompts.</exception>
    public static LearnedRouterModel Train(
        IReadOnlyList<OutcomeRecord> records,
        IReadOnlyList<string> cheapestFirst,
        ITextEmbedder? embedder,
        LearnedRouterEmbedder? embedderInfo = null,
        LearnerSelectionSettings? settings = null,
        IReadOnlyList<IScoreLearner>? learners = null,
        IProgress<string>? progress = null,
        string? source = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(cheapestFirst);
        settings ??= new LearnerSelectionSettings();
        settings.Validate();
        if (cheapestFirst.Count < 2 || cheapestFirst.Distinct(StringComparer.Ordinal).Count() != cheapestFirst.Count)
        {
            throw new ArgumentException("Give at least two distinct models, cheapest first, the strongest last.", nameof(cheapestFirst));
        }

        var rows = records.Where(r => cheapestFirst.All(r.Outcomes.ContainsKey)).ToList();
        if (rows.Count < 4 * settings.Folds)
        {
            throw new ArgumentException($"{rows.Count} prompts have outcomes for all of {string.Join(", ", cheapestFirst)}; training with {settings.Folds} folds needs at least {4 * settings.Folds}.", nameof(records));
        }

        learners ??= embedder is null ? [] : LearnerSelection.DefaultLearners(settings.Seed);
        progress?.Report($"encoding {rows.Count} prompts{(embedder is null ? string.Empty : " (sentence embeddings)")}");
        var features = new PromptEncoder(embedder).EncodeMany([.. rows.Select(r => r.Messages)], embed: embedder is not null);
        var strongest = cheapestFirst[^1];
        var pairs = new List<LearnedRouterPair>();
        var pGood = new List<double[]>();
        for (var i = 0; i < cheapestFirst.Count - 1; i++)
        {
            var weak = cheapestFirst[i];
            progress?.Report($"cross-validating {1 + learners.Count} learners for {weak} vs {strongest} ({i + 1}/{cheapestFirst.Count - 1})");
            var set = TrainingSet.Create(rows, features, LearnerTarget.ForPair(weak, strongest, settings.Margin));
            var selection = LearnerSelection.Run(set, weak, strongest, learners, settings);
            var learner = selection.Chosen == LengthBaseline.LearnerName
                ? new LengthBaseline()
                : learners.First(l => l.Name == selection.Chosen);
            var fitted = learner.Fit(set);
            pGood.Add([.. selection.OutOfFold[selection.Chosen]]);
            pairs.Add(new LearnedRouterPair(weak, strongest, fitted, selection with { OutOfFold = new Dictionary<string, double[]>() }));
        }

        var scores = cheapestFirst.Select(m => rows.Select(r => Math.Clamp(r.Outcomes[m].Score, 0, 1)).ToArray()).ToList();
        var costs = rows.All(r => cheapestFirst.All(m => r.Outcomes[m].Cost is not null))
            ? cheapestFirst.Select(m => rows.Select(r => (double)r.Outcomes[m].Cost!.Value).ToArray()).ToList()
            : null;
        var inputTokens = rows.Select(r => Math.Max(1, r.Messages.Sum(m => m.Text.Length) / 4)).ToArray();
        var outputTokens = cheapestFirst.Select(m =>
        {
            var known = rows.Select(r => r.Outcomes[m].OutputTokens).Where(t => t is not null).Select(t => (double)t!.Value).ToList();
            return known.Count == rows.Count ? known.Average() : (double?)null;
        }).ToArray();
        var calibration = new LearnedRouterCalibration(pGood, scores, costs, inputTokens, outputTokens);
        var info = pairs.Any(p => p.Learner.EmbeddingDimensions > 0) ? embedderInfo ?? new LearnedRouterEmbedder("unknown", embedder!.Dimensions, 0) : null;
        return new LearnedRouterModel(cheapestFirst, pairs, calibration, info, settings, source, (timeProvider ?? TimeProvider.System).GetUtcNow());
    }
}
