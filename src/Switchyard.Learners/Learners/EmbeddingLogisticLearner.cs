namespace Switchyard.Routing.Learners;

/// <summary>
/// Logistic regression per target on the embedding joined with Core's 16 text-shape features
/// (<see cref="Difficulty.ConversationFeaturizer"/>'s dense part), every column standardised on the training prompts.
/// L2-penalised, fitted by deterministic full-batch accelerated gradient descent; each target's penalty is chosen by
/// grouped cross-validation (squared error of the held-out predictions).
/// </summary>
public sealed class EmbeddingLogisticLearner : IScoreLearner
{
    /// <summary>The name in tables.</summary>
    public const string LearnerName = "logistic";

    /// <summary>The penalties tried by default (on standardised columns, per the mean loss): RouteLLM's GSM8K (1,300 prompts) chooses 1–10, its MMLU (14,000) 0.1.</summary>
    public static readonly IReadOnlyList<double> DefaultL2 = [1e-2, 1e-1, 1, 10];

    private readonly double[] _l2;
    private readonly int _iterations;
    private readonly int _tuningFolds;
    private readonly int _seed;

    /// <summary>Creates the learner.</summary>
    /// <param name="l2">The penalties λ to choose from (default <see cref="DefaultL2"/>).</param>
    /// <param name="iterations">Gradient steps at most per fit.</param>
    /// <param name="tuningFolds">Folds of the cross-validation that chooses λ (2–20).</param>
    /// <param name="seed">Fold assignment seed.</param>
    public EmbeddingLogisticLearner(IReadOnlyList<double>? l2 = null, int iterations = 300, int tuningFolds = 3, int seed = 1)
    {
        _l2 = [.. (l2 ?? DefaultL2).Distinct().OrderDescending()];
        if (_l2.Length == 0 || _l2.Any(v => !(v > 0) || !double.IsFinite(v)))
        {
            throw new ArgumentException("Every penalty must be a positive finite number, and at least one is needed.", nameof(l2));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(tuningFolds, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(tuningFolds, 20);
        _iterations = iterations;
        _tuningFolds = tuningFolds;
        _seed = seed;
    }

    /// <inheritdoc />
    public string Name => LearnerName;

    /// <inheritdoc />
    public FittedLearner Fit(TrainingSet data)
    {
        TrainingMatrix.RequireEmbeddings(data, LearnerName);
        var (n, d, t) = (data.Count, data.EmbeddingDimensions, data.Targets.Count);
        var width = d + Difficulty.ConversationFeaturizer.DenseCount;
        var x = new float[n * width];
        for (var i = 0; i < n; i++)
        {
            EmbeddingLogisticModel.Row(data.Features[i], x.AsSpan(i * width, width));
        }

        var (center, scale) = Standardizer.Fit(x, n, width);
        for (var i = 0; i < n; i++)
        {
            Standardizer.Apply(x.AsSpan(i * width, width), center, scale);
        }

        var penalties = Choose(data, x, width);
        var weights = new float[t * width];
        var biases = new double[t];
        for (var j = 0; j < t; j++)
        {
            var (rows, y) = Known(data, j, Enumerable.Range(0, n));
            var (w, b) = DenseLogistic.Fit(x, width, rows, y, penalties[j], _iterations);
            w.CopyTo(weights, j * width);
            biases[j] = rows.Count > 0 ? b : 0;
        }

        return new EmbeddingLogisticModel(data.Targets, d, penalties, center, scale, weights, biases);
    }

    /// <summary>Each target's penalty: the one with the lowest held-out squared error (the larger on ties).</summary>
    private double[] Choose(TrainingSet data, float[] x, int width)
    {
        var t = data.Targets.Count;
        var chosen = Enumerable.Repeat(_l2[0], t).ToArray();
        var folds = _l2.Length > 1 ? TrainingMatrix.TuningFolds(data, _tuningFolds, _seed) : null;
        if (folds is null)
        {
            return chosen;
        }

        var foldCount = folds.Max() + 1;
        var error = new double[_l2.Length, t];
        for (var f = 0; f < foldCount; f++)
        {
            var trainRows = GroupedFolds.Rows(folds, f, inFold: false);
            var heldOut = GroupedFolds.Rows(folds, f, inFold: true);
            for (var j = 0; j < t; j++)
            {
                var (rows, y) = Known(data, j, trainRows);
                var (testRows, testY) = Known(data, j, heldOut);
                for (var a = 0; a < _l2.Length; a++)
                {
                    var (w, b) = DenseLogistic.Fit(x, width, rows, y, _l2[a], _iterations);
                    for (var k = 0; k < testRows.Count; k++)
                    {
                        var e = DenseLogistic.Predict(w, b, x.AsSpan(testRows[k] * width, width)) - testY[k];
                        error[a, j] += e * e;
                    }
                }
            }
        }

        for (var j = 0; j < t; j++)
        {
            for (var a = 1; a < _l2.Length; a++)
            {
                if (error[a, j] < error[Array.IndexOf(_l2, chosen[j]), j])
                {
                    chosen[j] = _l2[a];
                }
            }
        }

        return chosen;
    }

    private static (List<int> Rows, List<double> Y) Known(TrainingSet data, int target, IEnumerable<int> rows)
    {
        var (kept, y) = (new List<int>(), new List<double>());
        foreach (var i in rows)
        {
            var v = data.Value(i, target);
            if (!double.IsNaN(v))
            {
                kept.Add(i);
                y.Add(v);
            }
        }

        return (kept, y);
    }
}
