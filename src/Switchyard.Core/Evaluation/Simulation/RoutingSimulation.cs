using Switchyard.Evaluation.Metrics;
using Switchyard.Routing.Difficulty;

namespace Switchyard.Evaluation.Simulation;

/// <summary>
/// Trains the learned difficulty router on one set of prompts and evaluates it, beside the random, oracle,
/// always-weak and always-strong routers, on a disjoint set: APGR, CPT(20/50/80%) and AIQ for each.
/// </summary>
public static class RoutingSimulation
{
    /// <summary>The router names in report order.</summary>
    public static readonly IReadOnlyList<string> RouterNames = ["learned", "random", "oracle", "always_weak", "always_strong"];

    /// <summary>Runs the simulation; prompts in both sets are dropped from training first (no leakage).</summary>
    /// <returns>The report and the router trained on <paramref name="train"/>.</returns>
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
            throw new ArgumentException($"No test prompt has outcomes for both '{settings.Weak}' and '{settings.Strong}'.", nameof(test));
        }

        var testKeys = new HashSet<string>(testRows.Select(OutcomeSplit.Key), StringComparer.Ordinal);
        var trainRows = train.Where(r => Has(r, settings)).ToList();
        var before = trainRows.Count;
        trainRows.RemoveAll(r => testKeys.Contains(OutcomeSplit.Key(r)));
        var training = settings.Training with { Seed = settings.Seed };
        var router = DifficultyTrainer.TrainRouter(trainRows, [settings.Weak, settings.Strong], settings.Featurizer, training, source, timeProvider);
        var scorer = router.CreateScorer(router.Pairs[0]);

        var weak = testRows.Select(r => r.Outcomes[settings.Weak].Score).ToArray();
        var strong = testRows.Select(r => r.Outcomes[settings.Strong].Score).ToArray();
        var dollars = testRows.All(r => r.Outcomes[settings.Weak].Cost is not null && r.Outcomes[settings.Strong].Cost is not null);
        var evaluator = dollars
            ? new RoutingEvaluator(weak, strong, testRows.Select(r => (double)r.Outcomes[settings.Weak].Cost!.Value).ToArray(), testRows.Select(r => (double)r.Outcomes[settings.Strong].Cost!.Value).ToArray())
            : new RoutingEvaluator(weak, strong);

        // The learned router's score for the evaluator: higher = more inclined to the strong model.
        var scores = testRows.Select(r => 1 - scorer.PredictGoodEnough(r.Messages)).ToArray();
        var routers = new Dictionary<string, RouterEvaluation>(StringComparer.Ordinal)
        {
            ["learned"] = evaluator.Evaluate("learned", scores),
            ["random"] = evaluator.Random(new Random(settings.Seed), settings.RandomIterations),
            ["oracle"] = evaluator.Oracle(),
            ["always_weak"] = evaluator.AlwaysWeak(),
            ["always_strong"] = evaluator.AlwaysStrong(),
        };

        var report = new SimulationReport(routers, testRows.Count, trainRows.Count, settings.Weak, settings.Strong)
        {
            Source = source,
            Seed = settings.Seed,
            WeakMean = evaluator.WeakMean,
            StrongMean = evaluator.StrongMean,
            CostInDollars = dollars,
            TrainOverlapDropped = before - trainRows.Count,
        };
        return (report, router);
    }

    private static bool Has(OutcomeRecord r, SimulationSettings s) => r.Outcomes.ContainsKey(s.Weak) && r.Outcomes.ContainsKey(s.Strong);
}
