using System.Globalization;
using Switchyard.Embeddings;
using Switchyard.Evaluation;
using Switchyard.Evaluation.Simulation;
using Switchyard.Routing.Difficulty;

namespace Switchyard.Routing.Learners.Simulation;

/// <summary>
/// Replays an N-model difficulty router on recorded outcomes: trains a <see cref="LearnedRouterModel"/> on the
/// training prompts, predicts P(good enough) of every cheaper model for every test prompt, sweeps the shared threshold
/// on the test prompts and compares the resulting (mean cost, mean quality) curve with every single model, an oracle,
/// a random router and the length baseline router by RouterBench's AIQ (<see cref="CostQualityCurve"/>).
/// </summary>
/// <remarks>
/// <para>
/// <b>Data</b>: only prompts with an outcome for every model are used; training records whose conversation is also a
/// test prompt (<see cref="OutcomeSplit.Key"/>) are dropped first, so no test prompt is trained on.
/// </para>
/// <para>
/// <b>learned</b>: <see cref="LearnedRouterTrainer.Train"/> with the embedder (learners chosen per cheaper model by
/// grouped cross-validation, never below the length baseline); the fitted learners predict each test prompt (encoded
/// once), and <see cref="RouteThresholdCalibrator.Sweep"/> on the test predictions, scores and costs gives one point per
/// threshold: a request goes to the cheapest model whose P(good enough) reaches the threshold, else the strongest.
/// Like RouteLLM's and RouterBench's curves this sweep is on the test set, so the curve (and its AIQ) shows what the
/// scores can reach, not what a threshold fixed in advance gets; <see cref="ModelComparison.CalibratedQuality"/> is the
/// latter, for a threshold calibrated on the training prompts' out-of-fold predictions.
/// </para>
/// <para>
/// <b>length</b>: the same scheme trained without an embedder, so the length baseline is every cheaper model's learner.
/// <b>random</b>: each prompt to the strongest model with probability s, else to the cheapest, at its expected cost and
/// quality for s = 0, 0.1, …, 1 (the straight line between the two models' points). <b>oracle</b>: per prompt the model
/// with the best score, the cheapest for that prompt among ties (so a prompt no model gets right goes to the cheapest);
/// its curve allows only the k cheapest models by mean cost, k = 1…N. Every <b>single model</b> is one point.
/// </para>
/// <para>
/// <b>AIQ</b> range: from the cheapest to the dearest single model's mean cost on the test prompts. The strongest
/// model (last) need not be the dearest; the router never routes past it.
/// </para>
/// </remarks>
public static class MultiModelSimulation
{
    /// <summary>Steps of the random router's mixture share (0, 0.1, …, 1).</summary>
    public const int RandomSteps = 10;

    /// <summary>Runs the simulation with a fixed cost per request for each model.</summary>
    /// <param name="train">Records to train on.</param>
    /// <param name="test">Records to evaluate on.</param>
    /// <param name="cheapestFirst">The models, cheapest first, the strongest (the router's fallback) last.</param>
    /// <param name="costPerRequest">Each model's cost per request.</param>
    /// <param name="embedder">Sentence embedder of the learned router (null: the length baseline only).</param>
    /// <param name="settings">Folds and margin (defaults when null); its seed is replaced by <paramref name="seed"/>.</param>
    /// <param name="seed">Seed of the cross-validation folds and the learners.</param>
    /// <param name="progress">Receives a line per training step.</param>
    /// <returns>The curves, AIQs, comparisons and per-prompt predictions.</returns>
    /// <exception cref="ArgumentException">Fewer than two distinct models, a model without a cost, no usable test prompt, or too few training prompts.</exception>
    public static MultiModelSimulationResult Run(
        IReadOnlyList<OutcomeRecord> train,
        IReadOnlyList<OutcomeRecord> test,
        IReadOnlyList<string> cheapestFirst,
        IReadOnlyDictionary<string, double> costPerRequest,
        ITextEmbedder? embedder,
        LearnerSelectionSettings? settings = null,
        int seed = 1,
        IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(costPerRequest);
        ArgumentNullException.ThrowIfNull(cheapestFirst);
        var missing = cheapestFirst.FirstOrDefault(m => !costPerRequest.ContainsKey(m));
        if (missing is not null)
        {
            throw new ArgumentException($"No cost for model '{missing}'.", nameof(costPerRequest));
        }

        return Run(train, test, cheapestFirst, (_, model) => costPerRequest[model], embedder, settings, seed, progress);
    }

    /// <summary>Runs the simulation with a cost per prompt and model (e.g. <see cref="ListPrice.CostFunction"/>).</summary>
    /// <param name="train">Records to train on.</param>
    /// <param name="test">Records to evaluate on.</param>
    /// <param name="cheapestFirst">The models, cheapest first, the strongest (the router's fallback) last.</param>
    /// <param name="cost">The cost of sending a prompt to a model (finite, ≥ 0); called for every used prompt and model.</param>
    /// <param name="embedder">Sentence embedder of the learned router (null: the length baseline only).</param>
    /// <param name="settings">Folds and margin (defaults when null); its seed is replaced by <paramref name="seed"/>.</param>
    /// <param name="seed">Seed of the cross-validation folds and the learners.</param>
    /// <param name="progress">Receives a line per training step.</param>
    /// <returns>The curves, AIQs, comparisons and per-prompt predictions.</returns>
    /// <exception cref="ArgumentException">Fewer than two distinct models, a bad cost, no usable test prompt, or too few training prompts.</exception>
    public static MultiModelSimulationResult Run(
        IReadOnlyList<OutcomeRecord> train,
        IReadOnlyList<OutcomeRecord> test,
        IReadOnlyList<string> cheapestFirst,
        Func<OutcomeRecord, string, double> cost,
        ITextEmbedder? embedder,
        LearnerSelectionSettings? settings = null,
        int seed = 1,
        IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(cheapestFirst);
        ArgumentNullException.ThrowIfNull(cost);
        if (cheapestFirst.Count < 2 || cheapestFirst.Any(string.IsNullOrEmpty) || cheapestFirst.Distinct(StringComparer.Ordinal).Count() != cheapestFirst.Count)
        {
            throw new ArgumentException("Give at least two distinct models, cheapest first, the strongest last.", nameof(cheapestFirst));
        }

        settings = (settings ?? new LearnerSelectionSettings()) with { Seed = seed };
        settings.Validate();
        var models = cheapestFirst.ToArray();

        var testRows = test.Where(r => HasAll(r, models)).ToList();
        if (testRows.Count < 2)
        {
            throw new ArgumentException($"{testRows.Count} test prompts have outcomes for all of {string.Join(", ", models)}; at least 2 are needed.", nameof(test));
        }

        // Leak guard: no conversation that is a test prompt (used or not) is trained on.
        var testKeys = new HashSet<string>(test.Select(OutcomeSplit.Key), StringComparer.Ordinal);
        var trainClean = train.Where(r => !testKeys.Contains(OutcomeSplit.Key(r))).ToList();
        var dropped = train.Count - trainClean.Count;
        var trainRows = trainClean.Where(r => HasAll(r, models)).ToList();

        progress?.Report(embedder is null ? "training the length baseline router" : "training the learned router");
        var learned = LearnedRouterTrainer.Train(trainRows, models, embedder, settings: settings, progress: progress, source: "multi-model simulation");
        var length = embedder is null
            ? learned
            : LearnedRouterTrainer.Train(trainRows, models, null, settings: settings, progress: progress, source: "multi-model simulation (length baseline)");

        progress?.Report($"predicting {testRows.Count} test prompts");
        var features = new PromptEncoder(embedder).EncodeMany([.. testRows.Select(r => r.Messages)], embed: learned.NeedsEmbeddings);
        var learnedPGood = Predict(learned, features);
        var lengthPGood = Predict(length, features);
        var scores = Scores(testRows, models);
        var costs = Costs(testRows, models, cost);

        var singlePoints = models.Select((_, m) => new CostQualityPoint(costs[m].Average(), scores[m].Average())).ToArray();
        var costMin = singlePoints.Min(p => p.Cost);
        var costMax = singlePoints.Max(p => p.Cost);

        var testSet = new RouteCalibrationSet(learnedPGood, scores, costs);
        var learnedCurve = Curve("learned", Sweep(testSet), costMin, costMax);
        var lengthCurve = Curve("length", Sweep(new RouteCalibrationSet(lengthPGood, scores, costs)), costMin, costMax);
        var randomCurve = Curve("random", RandomLine(singlePoints[0], singlePoints[^1]), costMin, costMax);
        var oracleCurve = Curve("oracle", OraclePoints(scores, costs, singlePoints), costMin, costMax);
        var singles = models.Select((m, i) => Curve(m, [singlePoints[i]], costMin, costMax, RouterCurve.ModelKind)).ToArray();

        // Operating points fixed without the test set: thresholds calibrated on the training prompts' out-of-fold predictions.
        var trainScores = Scores(trainRows, models);
        var trainCosts = Costs(trainRows, models, cost);
        var trainSet = new RouteCalibrationSet([.. learned.Calibration.PGood], trainScores, trainCosts);
        var comparisons = new List<ModelComparison>(models.Length);
        for (var m = 0; m < models.Length; m++)
        {
            var point = singlePoints[m];
            var threshold = RouteThresholdCalibrator.ForCostBudget(trainSet, trainCosts[m].Average());
            var (calibratedCost, calibratedQuality) = Evaluate(testSet, threshold);
            comparisons.Add(new ModelComparison(
                models[m],
                point.Cost,
                point.Quality,
                learnedCurve.QualityAt(point.Cost),
                lengthCurve.QualityAt(point.Cost),
                oracleCurve.QualityAt(point.Cost),
                learnedCurve.CostAt(point.Quality),
                threshold.Threshold,
                calibratedCost,
                calibratedQuality));
        }

        var pairs = learned.Pairs.Select(p => new PairChoice(
            p.Weak,
            p.Selection.Chosen,
            p.Selection.FellBackToBaseline,
            p.Selection.ChosenRow.Apgr,
            p.Selection.Table.FirstOrDefault(r => r.Learner == LengthBaseline.LearnerName)?.Apgr ?? double.NaN)).ToArray();

        var predictions = new MultiModelPrediction[testRows.Count];
        for (var i = 0; i < testRows.Count; i++)
        {
            predictions[i] = new MultiModelPrediction(
                testRows[i].Id,
                PerModel(models[..^1], learnedPGood, i),
                PerModel(models[..^1], lengthPGood, i),
                PerModel(models, scores, i),
                PerModel(models, costs, i));
        }

        return new MultiModelSimulationResult(learned)
        {
            Models = models,
            TrainPrompts = trainRows.Count,
            TestPrompts = testRows.Count,
            DroppedFromTrain = dropped,
            Folds = settings.Folds,
            Seed = settings.Seed,
            Margin = settings.Margin,
            CostMin = costMin,
            CostMax = costMax,
            Learned = learnedCurve,
            Length = lengthCurve,
            Random = randomCurve,
            Oracle = oracleCurve,
            SingleModels = singles,
            Comparisons = comparisons,
            Pairs = pairs,
            Predictions = predictions,
        };
    }

    private static bool HasAll(OutcomeRecord record, string[] models) =>
        record is not null && models.All(record.Outcomes.ContainsKey);

    /// <summary>Per cheaper model, per prompt: the router's fitted learner's P(good enough against the strongest).</summary>
    private static double[][] Predict(LearnedRouterModel router, IReadOnlyList<PromptFeatures> features)
    {
        var result = new double[router.Pairs.Count][];
        for (var k = 0; k < router.Pairs.Count; k++)
        {
            var pair = router.Pairs[k];
            var index = pair.Learner.IndexOf(LearnerTarget.GoodEnough(pair.Weak, pair.Strong, router.Selection.Margin));
            var buffer = new double[pair.Learner.Targets.Count];
            result[k] = new double[features.Count];
            for (var i = 0; i < features.Count; i++)
            {
                pair.Learner.Predict(features[i], buffer);
                result[k][i] = buffer[index];
            }
        }

        return result;
    }

    private static double[][] Scores(List<OutcomeRecord> rows, string[] models) =>
        [.. models.Select(m => rows.Select(r => Math.Clamp(r.Outcomes[m].Score, 0, 1)).ToArray())];

    private static double[][] Costs(List<OutcomeRecord> rows, string[] models, Func<OutcomeRecord, string, double> cost)
    {
        var result = new double[models.Length][];
        for (var m = 0; m < models.Length; m++)
        {
            result[m] = new double[rows.Count];
            for (var i = 0; i < rows.Count; i++)
            {
                var value = cost(rows[i], models[m]);
                if (!(value >= 0) || double.IsInfinity(value))
                {
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The cost of '{rows[i].Id}' on '{models[m]}' is {value}; costs must be finite and not negative."), nameof(cost));
                }

                result[m][i] = value;
            }
        }

        return result;
    }

    private static List<CostQualityPoint> Sweep(RouteCalibrationSet set) =>
        [.. RouteThresholdCalibrator.Sweep(set).Select(p => new CostQualityPoint(p.MeanCost, p.Quality))];

    /// <summary>Mean cost and quality of the set's prompts at one shared threshold.</summary>
    private static (double Cost, double Quality) Evaluate(RouteCalibrationSet set, CalibratedThreshold threshold)
    {
        double cost = 0, quality = 0;
        for (var i = 0; i < set.Count; i++)
        {
            var chosen = set.Models - 1;
            for (var m = 0; m < set.PGood.Length; m++)
            {
                if (!threshold.Escalates(set.PGood[m][i]))
                {
                    chosen = m;
                    break;
                }
            }

            cost += set.Costs[chosen][i];
            quality += set.Scores[chosen][i];
        }

        return (cost / set.Count, quality / set.Count);
    }

    /// <summary>Expected points of sending a prompt to the strongest with probability s, else to the cheapest.</summary>
    private static List<CostQualityPoint> RandomLine(CostQualityPoint cheapest, CostQualityPoint strongest)
    {
        var points = new List<CostQualityPoint>(RandomSteps + 1);
        for (var step = 0; step <= RandomSteps; step++)
        {
            var s = (double)step / RandomSteps;
            points.Add(new CostQualityPoint(((1 - s) * cheapest.Cost) + (s * strongest.Cost), ((1 - s) * cheapest.Quality) + (s * strongest.Quality)));
        }

        return points;
    }

    /// <summary>The oracle among the k cheapest models (by mean cost), k = 1…N: per prompt the best score, cheapest on ties.</summary>
    private static List<CostQualityPoint> OraclePoints(double[][] scores, double[][] costs, CostQualityPoint[] singles)
    {
        var byCost = Enumerable.Range(0, singles.Length).OrderBy(m => singles[m].Cost).ThenBy(m => m).ToArray();
        var n = scores[0].Length;
        var points = new List<CostQualityPoint>(byCost.Length);
        for (var k = 1; k <= byCost.Length; k++)
        {
            double cost = 0, quality = 0;
            for (var i = 0; i < n; i++)
            {
                var best = byCost[0];
                foreach (var m in byCost.AsSpan(1, k - 1))
                {
                    if (scores[m][i] > scores[best][i] || (scores[m][i] == scores[best][i] && costs[m][i] < costs[best][i]))
                    {
                        best = m;
                    }
                }

                cost += costs[best][i];
                quality += scores[best][i];
            }

            points.Add(new CostQualityPoint(cost / n, quality / n));
        }

        return points;
    }

    private static RouterCurve Curve(string name, IReadOnlyList<CostQualityPoint> points, double costMin, double costMax, string kind = RouterCurve.RouterKind)
    {
        var distinct = points.Distinct().ToArray();
        return new RouterCurve(name, kind, CostQualityCurve.Aiq(distinct, costMin, costMax), distinct, CostQualityCurve.Hull(distinct));
    }

    private static Dictionary<string, double> PerModel(string[] models, double[][] values, int prompt)
    {
        var result = new Dictionary<string, double>(models.Length, StringComparer.Ordinal);
        for (var m = 0; m < models.Length; m++)
        {
            result[models[m]] = values[m][prompt];
        }

        return result;
    }
}
