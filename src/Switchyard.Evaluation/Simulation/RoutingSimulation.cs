using Switchyard.Evaluation.Metrics;
using Switchyard.Routing.Difficulty;

namespace Switchyard.Evaluation.Simulation;

/// <summary>
/// Trains the learned difficulty router on one set of prompts and evaluates it, beside the length baseline and the
/// random, oracle, always-weak and always-strong routers, on a disjoint set: APGR, CPT(20/50/80%) and AIQ for each.
/// </summary>
public static class RoutingSimulation
{
    /// <summary>The router names in report order (without a learned-router trainer, <c>learned</c> is the hashed n-gram router and there is no <c>ngram</c> row).</summary>
    public static readonly IReadOnlyList<string> RouterNames = ["learned", "length", "random", "oracle", "always_weak", "always_strong"];

    /// <summary>The router names in report order when a learned-router trainer is given: the hashed n-gram router gets its own row.</summary>
    public static readonly IReadOnlyList<string> RouterNamesWithNgram = ["learned", "ngram", "length", "random", "oracle", "always_weak", "always_strong"];

    /// <summary>
    /// The length baseline's score of a prompt: the length in characters of its last user message. Swept over
    /// thresholds exactly like the learned router's score, it sends the longest prompts to the strong model first.
    /// </summary>
    /// <param name="record">The prompt.</param>
    public static double LengthScore(OutcomeRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.Prompt.Length;
    }

    /// <summary>Runs the simulation; prompts in both sets are dropped from training first (no leakage).</summary>
    /// <returns>The report and the router trained on <paramref name="train"/>.</returns>
    /// <exception cref="SimulationInputException">
    /// No test prompt has outcomes for both models, or fewer training prompts than training needs are left (the
    /// message says whether the leak guard dropped them).
    /// </exception>
    public static (SimulationReport Report, DifficultyRouterModel Router) Run(
        IReadOnlyList<OutcomeRecord> train,
        IReadOnlyList<OutcomeRecord> test,
        SimulationSettings settings,
        string? source = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(settings);
        var testRows = test.Where(r => Has(r, settings)).ToList();
        if (testRows.Count == 0)
        {
            throw new SimulationInputException(test.Count == 0
                ? "The test set is empty."
                : $"No test prompt has outcomes for both '{settings.Weak}' and '{settings.Strong}'.");
        }

        var testKeys = new HashSet<string>(testRows.Select(OutcomeSplit.Key), StringComparer.Ordinal);
        var trainRows = train.Where(r => Has(r, settings)).ToList();
        var before = trainRows.Count;
        trainRows.RemoveAll(r => testKeys.Contains(OutcomeSplit.Key(r)));
        var training = settings.Training with { Seed = settings.Seed };
        RequireEnoughTraining(before, trainRows.Count, 2 * training.Folds, settings);
        var router = DifficultyTrainer.TrainRouter(trainRows, [settings.Weak, settings.Strong], settings.Featurizer, training, source, timeProvider);
        var scorer = router.CreateScorer(router.Pairs[0]);

        var weak = testRows.Select(r => r.Outcomes[settings.Weak].Score).ToArray();
        var strong = testRows.Select(r => r.Outcomes[settings.Strong].Score).ToArray();
        var dollars = testRows.All(r => r.Outcomes[settings.Weak].Cost is not null && r.Outcomes[settings.Strong].Cost is not null);
        var evaluator = dollars
            ? new RoutingEvaluator(weak, strong, testRows.Select(r => (double)r.Outcomes[settings.Weak].Cost!.Value).ToArray(), testRows.Select(r => (double)r.Outcomes[settings.Strong].Cost!.Value).ToArray())
            : new RoutingEvaluator(weak, strong);

        // Scores for the evaluator: higher = more inclined to the strong model.
        var ngram = testRows.Select(r => 1 - scorer.PredictGoodEnough(r.Messages)).ToArray();
        double[]? ngramColumn = null;
        var learned = ngram;
        string? learnedDescription = null;
        if (settings.Learner is { } trainer)
        {
            var (pGood, description) = trainer.TrainAndPredict(trainRows, testRows, settings.Weak, settings.Strong, settings.Seed);
            learned = [.. pGood.Select(p => 1 - p)];
            learnedDescription = description;
            ngramColumn = ngram;
        }

        var length = testRows.Select(LengthScore).ToArray();
        var routers = new Dictionary<string, RouterEvaluation>(StringComparer.Ordinal)
        {
            ["learned"] = evaluator.Evaluate("learned", learned),
        };
        if (ngramColumn is not null)
        {
            routers["ngram"] = evaluator.Evaluate("ngram", ngramColumn);
        }

        routers["length"] = evaluator.Evaluate("length", length);
        routers["random"] = evaluator.Random(new Random(settings.Seed), settings.RandomIterations);
        routers["oracle"] = evaluator.Oracle();
        routers["always_weak"] = evaluator.AlwaysWeak();
        routers["always_strong"] = evaluator.AlwaysStrong();

        var predictions = new PromptPrediction[testRows.Count];
        for (var i = 0; i < testRows.Count; i++)
        {
            var (w, s) = (testRows[i].Outcomes[settings.Weak], testRows[i].Outcomes[settings.Strong]);
            predictions[i] = new PromptPrediction(testRows[i].Id, learned[i], length[i], w.Score, s.Score) { WeakCost = w.Cost, StrongCost = s.Cost, Ngram = ngramColumn?[i], Group = testRows[i].Group };
        }

        var report = new SimulationReport(routers, testRows.Count, trainRows.Count, settings.Weak, settings.Strong)
        {
            Source = source,
            Seed = settings.Seed,
            WeakMean = evaluator.WeakMean,
            StrongMean = evaluator.StrongMean,
            CostInDollars = dollars,
            TrainOverlapDropped = before - trainRows.Count,
            Learner = learnedDescription,
            Predictions = predictions,
        };
        return (report, router);
    }

    private static void RequireEnoughTraining(int before, int after, int needed, SimulationSettings settings)
    {
        if (after >= needed)
        {
            return;
        }

        var dropped = before - after;
        var both = $"outcomes for both '{settings.Weak}' and '{settings.Strong}'";
        var message = dropped == 0
            ? $"Too few training prompts: {after} have {both}; training needs at least {needed}."
            : (before >= needed ? $"The leak guard {(after == 0 ? "emptied the training set" : "left too few training prompts")}: " : "Too few training prompts: ")
                + $"{before} training prompts have {both}, {dropped} of them are also in the test set and were dropped (a prompt is never on both sides), leaving {after}; training needs at least {needed}."
                + (before >= needed ? " Train on prompts the test set does not hold." : "");
        throw new SimulationInputException(message);
    }

    private static bool Has(OutcomeRecord r, SimulationSettings s) => r.Outcomes.ContainsKey(s.Weak) && r.Outcomes.ContainsKey(s.Strong);
}
