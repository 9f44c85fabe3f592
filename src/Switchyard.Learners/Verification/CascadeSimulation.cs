using Switchyard.Embeddings;
using Switchyard.Evaluation;
using Switchyard.Evaluation.Metrics;

namespace Switchyard.Routing.Learners.Verification;

/// <summary>
/// Evaluates cascades on recorded answers: the cheap model's answer to every prompt is already recorded, so a
/// verifier's decision on it (accept, or escalate to the strong model) can be replayed without calling any model.
/// </summary>
/// <remarks>
/// <para>
/// The prompts are those with both models' outcomes whose weak outcome carries its answer. They are split into k
/// folds grouped by prompt (<see cref="PromptGroups"/>, <see cref="GroupedFolds"/>); for each fold a
/// <see cref="VerifierTrainer"/> fitted on the other folds predicts P(good) of the fold's answers, so every prompt has
/// an out-of-fold prediction. The cascade escalates the prompts with the lowest P(good) first: it is scored with
/// <see cref="RoutingEvaluator"/> with routing score 1 − P(good) (APGR, CPT(50%) and AIQ over the strong-call share).
/// </para>
/// <para>
/// References on the same prompts: <c>answer-length</c>, a verifier that sees only the answer's length (logistic
/// regression on ln(1 + characters), cross-validated the same way); <c>prompt-length</c>, a router that sees no
/// answer and escalates the longest prompts first (what the length baseline of the learned routers does);
/// <c>random</c> (RouteLLM's random router, seeded) and the <c>oracle</c>.
/// </para>
/// <para>
/// Cost: a cascade always pays the cheap call, and an escalation pays the strong call on top; a router that decides
/// before calling (here <c>prompt-length</c>) pays one call per prompt. Besides the share of strong calls, every curve
/// is therefore also costed with what it really pays, using <see cref="ModelOutcome.Cost"/> when every prompt has both
/// models' recorded cost, else relative units (weak 1, strong <c>strongCostRatio</c>).
/// <see cref="CascadeFigures.CostAiq"/> is RouterBench's AIQ over that cost on one range for all (from the weak cost
/// alone to weak + strong), and <see cref="CascadeFigures.CostAtCpt50"/> the cost of recovering half the quality gap.
/// APGR and CPT depend only on the share, so they are the same on every cost scale.
/// </para>
/// </remarks>
public static class CascadeSimulation
{
    /// <summary>The default cost of a strong call relative to a weak one, when costs were not recorded.</summary>
    public const double DefaultStrongCostRatio = 10;

    /// <summary>Cross-validates the learned verifier and the references on <paramref name="records"/>.</summary>
    /// <param name="records">Recorded outcomes with the weak model's answers (e.g. <c>RouteLlmReader.ReadGsm8k(...).Records</c>).</param>
    /// <param name="weak">The cheap model, whose answers are verified.</param>
    /// <param name="strong">The model the cascade escalates to.</param>
    /// <param name="embedder">Embeds the prompts for the learned verifier; null for answer features only.</param>
    /// <param name="folds">Outer folds, at least 2.</param>
    /// <param name="seed">Seed of the outer folds and the random router.</param>
    /// <param name="strongCostRatio">A strong call's cost in weak calls, used when costs were not recorded (positive).</param>
    /// <param name="settings">The verifier trainer's settings (margin, penalties, inner folds); defaults when null.</param>
    /// <returns>The figures and the out-of-fold predictions.</returns>
    /// <exception cref="ArgumentException">Fewer prompt groups than folds qualify, or a setting is out of range.</exception>
    public static CascadeSimulationResult Run(
        IReadOnlyList<OutcomeRecord> records,
        string weak,
        string strong,
        ITextEmbedder? embedder,
        int folds = 5,
        int seed = 1,
        double strongCostRatio = DefaultStrongCostRatio,
        VerifierTrainerSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentException.ThrowIfNullOrEmpty(weak);
        ArgumentException.ThrowIfNullOrEmpty(strong);
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        if (!(strongCostRatio > 0) || !double.IsFinite(strongCostRatio))
        {
            throw new ArgumentOutOfRangeException(nameof(strongCostRatio), strongCostRatio, "The strong cost ratio must be a positive finite number.");
        }

        var trainer = new VerifierTrainer(settings);
        var examples = VerifierExample.FromRecords(records, weak, strong);
        if (examples.Count == 0)
        {
            throw new ArgumentException($"No record has outcomes for both '{weak}' and '{strong}' with the weak model's answer.", nameof(records));
        }

        var data = VerifierMatrix.Build(examples, embedder, trainer.Settings.Margin);
        var foldOf = GroupedFolds.Assign(data.Groups, folds, seed);
        var lengthOnly = data.Columns([AnswerFeatures.AnswerLogChars]);
        var learned = new double[data.Count];
        var byLength = new double[data.Count];
        var foldL2 = new double[folds];
        var foldEmbeddingWeight = new double[folds];
        for (var f = 0; f < folds; f++)
        {
            var train = GroupedFolds.Rows(foldOf, f, inFold: false);
            var test = GroupedFolds.Rows(foldOf, f, inFold: true);
            var fit = trainer.FitCore(data, train);
            var lengthFit = trainer.FitCore(lengthOnly, train);
            foldL2[f] = fit.L2;
            foldEmbeddingWeight[f] = fit.EmbeddingWeight;
            foreach (var i in test)
            {
                learned[i] = fit.Predict(data.X.AsSpan(i * data.Width, data.Width));
                byLength[i] = lengthFit.Predict(lengthOnly.X.AsSpan(i * lengthOnly.Width, lengthOnly.Width));
            }
        }

        var (weakCost, strongCost, unit) = Costs(examples, strongCostRatio);
        var cascadeCost = new double[data.Count];
        for (var i = 0; i < cascadeCost.Length; i++)
        {
            cascadeCost[i] = weakCost[i] + strongCost[i];
        }

        var costs = new Evaluators(
            new RoutingEvaluator(data.Weak, data.Strong),
            new RoutingEvaluator(data.Weak, data.Strong, weakCost, cascadeCost),
            new RoutingEvaluator(data.Weak, data.Strong, weakCost, strongCost));
        var promptLength = Enumerable.Range(0, data.Count).Select(i => (double)data.X[(i * data.Width) + AnswerFeatures.PromptLogChars]).ToArray();

        return new CascadeSimulationResult
        {
            Weak = weak,
            Strong = strong,
            Prompts = data.Count,
            Folds = folds,
            Seed = seed,
            Margin = trainer.Settings.Margin,
            EmbeddingDimensions = data.EmbeddingDimensions,
            WeakMean = costs.ByShare.WeakMean,
            StrongMean = costs.ByShare.StrongMean,
            GoodShare = data.Labels.Average(),
            CostUnit = unit,
            StrongCostRatio = strongCostRatio,
            WeakCostMean = weakCost.Average(),
            StrongCostMean = strongCost.Average(),
            Learned = Figures("learned", cascade: true, e => e.Evaluate("learned", Escalation(learned)), costs),
            AnswerLength = Figures("answer-length", cascade: true, e => e.Evaluate("answer-length", Escalation(byLength)), costs),
            PromptLength = Figures("prompt-length", cascade: false, e => e.Evaluate("prompt-length", promptLength), costs),
            Random = Figures("random", cascade: true, e => e.Random(new Random(seed)), costs),
            Oracle = Figures("oracle", cascade: true, e => e.Oracle(), costs),
            LearnedAuc = RankMetrics.Auc(learned, data.Labels),
            AnswerLengthAuc = RankMetrics.Auc(byLength, data.Labels),
            LearnedLogLoss = VerifierTrainer.LogLoss(learned, data.Labels),
            FoldL2 = foldL2,
            FoldEmbeddingWeight = foldEmbeddingWeight,
            Predictions = [.. Enumerable.Range(0, data.Count).Select(i => new CascadePrediction(data.Ids[i], learned[i], data.Weak[i], data.Strong[i]))],
        };
    }

    // Routing score: escalate the least likely good answers first.
    private static double[] Escalation(double[] pGood) => [.. pGood.Select(p => 1 - p)];

    private static CascadeFigures Figures(string name, bool cascade, Func<RoutingEvaluator, RouterEvaluation> evaluate, Evaluators costs)
    {
        var share = evaluate(costs.ByShare) with { Router = name };
        var cost = evaluate(cascade ? costs.Cascade : costs.Router) with { Router = name };

        // One cost range for all: from the weak call alone to a cascade's weak + strong.
        var aiq = RoutingEvaluator.Aiq(cost.Curve, costs.Cascade.CostMin, costs.Cascade.CostMax);
        return new CascadeFigures(name, cascade, share.Apgr, share.Cpt50, share.Aiq, aiq, CostAt(cost.Curve, share.Cpt50), share, cost);
    }

    // The cost at a strong share, linear between the curve's points (sorted by share); NaN for a NaN share.
    private static double CostAt(IReadOnlyList<CurvePoint> curve, double share)
    {
        if (double.IsNaN(share))
        {
            return double.NaN;
        }

        var sorted = curve.OrderBy(p => p.StrongShare).ToArray();
        if (share <= sorted[0].StrongShare)
        {
            return sorted[0].Cost;
        }

        for (var i = 1; i < sorted.Length; i++)
        {
            var (left, right) = (sorted[i - 1], sorted[i]);
            if (share <= right.StrongShare)
            {
                return right.StrongShare > left.StrongShare
                    ? left.Cost + ((share - left.StrongShare) * (right.Cost - left.Cost) / (right.StrongShare - left.StrongShare))
                    : right.Cost;
            }
        }

        return sorted[^1].Cost;
    }

    private static (double[] Weak, double[] Strong, string Unit) Costs(IReadOnlyList<VerifierExample> examples, double ratio)
    {
        if (examples.All(e => e.WeakCost is not null && e.StrongCost is not null))
        {
            return ([.. examples.Select(e => (double)e.WeakCost!.Value)], [.. examples.Select(e => (double)e.StrongCost!.Value)], "usd");
        }

        return ([.. examples.Select(_ => 1.0)], [.. examples.Select(_ => ratio)], "relative");
    }

    /// <summary>The same prompts costed three ways: strong share, a cascade's cost, a router's cost.</summary>
    private sealed record Evaluators(RoutingEvaluator ByShare, RoutingEvaluator Cascade, RoutingEvaluator Router);
}
