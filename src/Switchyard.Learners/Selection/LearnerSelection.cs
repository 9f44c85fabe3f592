using System.Globalization;
using Switchyard.Evaluation.Metrics;

namespace Switchyard.Routing.Learners;

/// <summary>
/// Chooses a learner for a weak/strong pair by k-fold cross-validation grouped by prompt (a prompt's id and
/// conversation never sit on both sides): each learner, and the <see cref="LengthBaseline"/>, is fitted on k − 1 folds
/// and predicts P(weak good enough) on the k-th; the pooled out-of-fold predictions are scored with RouteLLM's APGR
/// (<see cref="RoutingEvaluator"/>, routing score 1 − P). The best learner is chosen only when its APGR is above the
/// baseline's; otherwise the baseline is, and the result says so.
/// </summary>
public static class LearnerSelection
{
    /// <summary>kNN, cluster profiles and the embedding logistic regression, with their default grids.</summary>
    public static IReadOnlyList<IScoreLearner> DefaultLearners(int seed = 1) =>
        [new KnnLearner(seed: seed), new ClusterProfileLearner(seed: seed), new EmbeddingLogisticLearner(seed: seed)];

    /// <summary>Cross-validates the baseline and <paramref name="learners"/> on the prompts of <paramref name="data"/> that have both models' scores.</summary>
    /// <param name="data">Prompts whose targets include <see cref="LearnerTarget.ForPair"/> of the pair (with the settings' margin).</param>
    /// <param name="weak">The cheaper model.</param>
    /// <param name="strong">The stronger model.</param>
    /// <param name="learners">The candidates besides the baseline (default <see cref="DefaultLearners"/>); names must be unique and not <c>length</c>.</param>
    /// <param name="settings">Folds, seed, margin.</param>
    /// <exception cref="ArgumentException">A target is missing, names clash, or there are fewer prompt groups than folds.</exception>
    public static LearnerSelectionResult Run(
        TrainingSet data,
        string weak,
        string strong,
        IReadOnlyList<IScoreLearner>? learners = null,
        LearnerSelectionSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        settings ??= new LearnerSelectionSettings();
        settings.Validate();
        learners ??= DefaultLearners(settings.Seed);
        var candidates = new List<IScoreLearner> { new LengthBaseline() };
        candidates.AddRange(learners);
        var duplicate = candidates.GroupBy(l => l.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Two learners are named '{duplicate.Key}' (the length baseline is always included).", nameof(learners));
        }

        var weakIndex = Require(data, LearnerTarget.Score(weak));
        var strongIndex = Require(data, LearnerTarget.Score(strong));
        var goodEnough = LearnerTarget.GoodEnough(weak, strong, settings.Margin);
        var goodIndex = Require(data, goodEnough);
        var rows = Enumerable.Range(0, data.Count)
            .Where(i => !double.IsNaN(data.Value(i, weakIndex)) && !double.IsNaN(data.Value(i, strongIndex)))
            .ToArray();
        var set = data.Subset(rows);
        var folds = GroupedFolds.Assign(set.Groups, settings.Folds, settings.Seed);
        var weakScores = Column(set, weakIndex);
        var strongScores = Column(set, strongIndex);
        var labels = Column(set, goodIndex);
        var evaluator = new RoutingEvaluator(weakScores, strongScores);

        var table = new List<LearnerCvRow>();
        var outOfFold = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var learner in candidates)
        {
            var (predictions, fitted) = CrossValidate(learner, set, folds, settings.Folds, goodEnough);
            outOfFold[learner.Name] = predictions;
            table.Add(Row(learner.Name, predictions, fitted, evaluator, folds, settings.Folds, weakScores, strongScores, labels));
        }

        var (chosen, fellBack, reason) = Choose(table);
        return new LearnerSelectionResult(weak, strong, set.Count, settings.Folds, table, chosen, fellBack, reason)
        {
            RandomApgr = evaluator.Random(new Random(settings.Seed)).Apgr,
            OracleApgr = evaluator.Oracle().Apgr,
            OutOfFold = outOfFold,
            WeakScores = weakScores,
            StrongScores = strongScores,
        };
    }

    /// <summary>Out-of-fold P(good enough) of every prompt, and what each fold's fit chose.</summary>
    internal static (double[] Predictions, string[] Fitted) CrossValidate(IScoreLearner learner, TrainingSet set, int[] folds, int foldCount, LearnerTarget goodEnough)
    {
        var predictions = new double[set.Count];
        var fitted = new string[foldCount];
        for (var f = 0; f < foldCount; f++)
        {
            var model = learner.Fit(set.Subset(GroupedFolds.Rows(folds, f, inFold: false)));
            var index = model.IndexOf(goodEnough);
            if (index < 0)
            {
                throw new InvalidOperationException($"Learner '{learner.Name}' did not fit the target {goodEnough}.");
            }

            fitted[f] = model.Description;
            var heldOut = GroupedFolds.Rows(folds, f, inFold: true);
            Parallel.For(0, heldOut.Length, k => predictions[heldOut[k]] = model.Predict(set.Features[heldOut[k]])[index]);
        }

        return (predictions, fitted);
    }

    /// <summary>
    /// The best learner by APGR when it is above the baseline's (the first row); otherwise the baseline. Ties go to
    /// the baseline, and to the earlier learner among the rest.
    /// </summary>
    internal static (string Chosen, bool FellBack, string Reason) Choose(IReadOnlyList<LearnerCvRow> table)
    {
        var baseline = table[0];
        if (double.IsNaN(baseline.Apgr))
        {
            return (baseline.Learner, true, "APGR is undefined: the strong model is on average no better than the weak on these prompts");
        }

        LearnerCvRow? best = null;
        foreach (var row in table.Skip(1))
        {
            if (!double.IsNaN(row.Apgr) && (best is null || row.Apgr > best.Apgr))
            {
                best = row;
            }
        }

        if (best is null)
        {
            return (baseline.Learner, true, "no other learner was cross-validated");
        }

        var figures = string.Create(CultureInfo.InvariantCulture, $"{best.Learner} CV APGR {best.Apgr:0.0000} vs {baseline.Learner} {baseline.Apgr:0.0000}");
        return best.Apgr > baseline.Apgr
            ? (best.Learner, false, figures)
            : (baseline.Learner, true, $"no learner beat the length baseline: {figures}");
    }

    private static LearnerCvRow Row(string name, double[] predictions, string[] fitted, RoutingEvaluator evaluator, int[] folds, int foldCount, double[] weak, double[] strong, double[] labels)
    {
        var scores = predictions.Select(p => 1 - p).ToArray();
        var pooled = evaluator.Evaluate(name, scores);
        var perFold = new List<double>();
        for (var f = 0; f < foldCount; f++)
        {
            var rows = GroupedFolds.Rows(folds, f, inFold: true);
            var foldEvaluator = new RoutingEvaluator([.. rows.Select(i => weak[i])], [.. rows.Select(i => strong[i])]);
            var apgr = foldEvaluator.Evaluate(name, [.. rows.Select(i => scores[i])]).Apgr;
            if (!double.IsNaN(apgr))
            {
                perFold.Add(apgr);
            }
        }

        var mean = perFold.Count > 0 ? perFold.Average() : double.NaN;
        var sd = perFold.Count > 1 ? Math.Sqrt(perFold.Sum(a => (a - mean) * (a - mean)) / (perFold.Count - 1)) : double.NaN;
        var brier = predictions.Select((p, i) => (p - labels[i]) * (p - labels[i])).Average();
        return new LearnerCvRow(name, pooled.Apgr, pooled.Cpt50, pooled.Aiq, mean, sd, brier, fitted);
    }

    private static int Require(TrainingSet data, LearnerTarget target)
    {
        var index = data.IndexOf(target);
        return index >= 0
            ? index
            : throw new ArgumentException($"The training set has no target {target}; build it with LearnerTarget.ForPair.", nameof(data));
    }

    private static double[] Column(TrainingSet data, int target) => [.. Enumerable.Range(0, data.Count).Select(i => data.Value(i, target))];
}
