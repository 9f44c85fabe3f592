using Switchyard.Evaluation;

namespace Switchyard.Routing.Difficulty;

/// <summary>
/// Trains difficulty models from recorded outcomes: for each prompt where both models have an outcome, the target
/// is whether the weak model's score reached the strong one's (less <see cref="TrainingSettings.Margin"/>).
/// Out-of-fold predictions (k folds) form the calibration set; the final model is trained on every prompt.
/// </summary>
public static class DifficultyTrainer
{
    /// <summary>Trains a router for models ordered from cheapest to strongest: one pair per cheaper model, each against the last.</summary>
    public static DifficultyRouterModel TrainRouter(
        IReadOnlyList<OutcomeRecord> records,
        IReadOnlyList<string> modelsCheapestFirst,
        FeaturizerSettings? featurizer = null,
        TrainingSettings? training = null,
        string? source = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(modelsCheapestFirst);
        if (modelsCheapestFirst.Count < 2)
        {
            throw new ArgumentException("A router needs at least two models: the cheaper ones first, the strongest last.", nameof(modelsCheapestFirst));
        }

        featurizer ??= new FeaturizerSettings();
        training ??= new TrainingSettings();
        var f = new ConversationFeaturizer(featurizer);
        var strong = modelsCheapestFirst[^1];
        var pairs = new List<DifficultyPairModel>();
        for (var i = 0; i < modelsCheapestFirst.Count - 1; i++)
        {
            pairs.Add(TrainPair(records, modelsCheapestFirst[i], strong, f, training));
        }

        return new DifficultyRouterModel(featurizer, training, pairs, source, (timeProvider ?? TimeProvider.System).GetUtcNow());
    }

    /// <summary>Trains one pair.</summary>
    public static DifficultyPairModel TrainPair(IReadOnlyList<OutcomeRecord> records, string weak, string strong, ConversationFeaturizer featurizer, TrainingSettings settings)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(featurizer);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        var x = new List<SparseVector>(records.Count);
        var y = new List<double>(records.Count);
        var weakScores = new List<double>(records.Count);
        var strongScores = new List<double>(records.Count);
        foreach (var record in records)
        {
            if (!record.Outcomes.TryGetValue(weak, out var w) || !record.Outcomes.TryGetValue(strong, out var s))
            {
                continue;
            }

            x.Add(SparseVector.From(featurizer, record.Messages));
            y.Add(Label(w.Score, s.Score, settings.Margin));
            weakScores.Add(w.Score);
            strongScores.Add(s.Score);
        }

        var folds = Math.Min(settings.Folds, x.Count);
        if (x.Count < 2 * settings.Folds)
        {
            throw new ArgumentException($"Only {x.Count} prompts have outcomes for both '{weak}' and '{strong}'; training needs at least {2 * settings.Folds}.", nameof(records));
        }

        // Out-of-fold predictions: every prompt is predicted by a model that never saw it.
        var fold = new int[x.Count];
        var order = Enumerable.Range(0, x.Count).ToArray();
        new Random(settings.Seed).Shuffle(order);
        for (var i = 0; i < order.Length; i++)
        {
            fold[order[i]] = i % folds;
        }

        var oof = new double[x.Count];
        for (var k = 0; k < folds; k++)
        {
            var trainX = new List<SparseVector>();
            var trainY = new List<double>();
            for (var i = 0; i < x.Count; i++)
            {
                if (fold[i] != k)
                {
                    trainX.Add(x[i]);
                    trainY.Add(y[i]);
                }
            }

            var foldModel = LogisticTrainer.Train(trainX, trainY, featurizer.Dimension, settings);
            for (var i = 0; i < x.Count; i++)
            {
                if (fold[i] == k)
                {
                    oof[i] = foldModel.Predict(x[i]);
                }
            }
        }

        var model = LogisticTrainer.Train(x, y, featurizer.Dimension, settings);
        return new DifficultyPairModel(weak, strong, model, new CalibrationSet(oof, [.. weakScores], [.. strongScores]))
        {
            Examples = x.Count,
            GoodEnoughRate = y.Average(),
        };
    }

    /// <summary>1 when the weak score reaches the strong one's less the margin, else 0.</summary>
    public static double Label(double weak, double strong, double margin) => weak >= strong - margin ? 1 : 0;
}
