using System.Numerics.Tensors;

namespace Switchyard.Routing.Learners;

/// <summary>
/// k nearest neighbours over the training prompts' embeddings (cosine similarity: the embeddings are unit vectors, so a
/// dot product): a target's prediction is the mean of its values over the k most similar training prompts, optionally
/// weighted by similarity. k (and, unless fixed, the weighting) is chosen by grouped cross-validation on the training
/// prompts, minimising the mean squared error over the targets.
/// </summary>
/// <remarks>
/// The fitted model keeps every training embedding as float[] (1.5 KB per prompt at 384 dimensions: about 30 MB for
/// 20,000 prompts) and compares a request with all of them (a few milliseconds at 20,000); for much larger sets an
/// approximate index would be needed.
/// </remarks>
public sealed class KnnLearner : IScoreLearner
{
    /// <summary>The name in tables.</summary>
    public const string LearnerName = "knn";

    /// <summary>The k tried by default.</summary>
    public static readonly IReadOnlyList<int> DefaultKs = [5, 10, 20, 50, 100];

    private readonly int[] _ks;
    private readonly bool[] _weightings;
    private readonly int _tuningFolds;
    private readonly int _seed;

    /// <summary>Creates the learner.</summary>
    /// <param name="ks">The k to choose from (default <see cref="DefaultKs"/>); each larger than the training set counts as the training set's size.</param>
    /// <param name="distanceWeighted">Whether neighbours are weighted by similarity; null lets cross-validation choose.</param>
    /// <param name="tuningFolds">Folds of the cross-validation that chooses (2–20).</param>
    /// <param name="seed">Fold assignment seed.</param>
    public KnnLearner(IReadOnlyList<int>? ks = null, bool? distanceWeighted = null, int tuningFolds = 5, int seed = 1)
    {
        _ks = [.. (ks ?? DefaultKs).Distinct().Order()];
        if (_ks.Length == 0 || _ks[0] < 1)
        {
            throw new ArgumentException("k must be at least 1, and at least one k is needed.", nameof(ks));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(tuningFolds, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(tuningFolds, 20);
        _weightings = distanceWeighted is { } fixedWeighting ? [fixedWeighting] : [false, true];
        _tuningFolds = tuningFolds;
        _seed = seed;
    }

    /// <inheritdoc />
    public string Name => LearnerName;

    /// <inheritdoc />
    public FittedLearner Fit(TrainingSet data)
    {
        TrainingMatrix.RequireEmbeddings(data, LearnerName);
        var d = data.EmbeddingDimensions;
        var embeddings = TrainingMatrix.Embeddings(data);
        var values = TrainingMatrix.Values(data);
        var (k, weighted) = Choose(data, embeddings, values);
        return new KnnModel(data.Targets, d, Math.Min(k, data.Count), weighted, embeddings, values, data.Means());
    }

    private (int K, bool Weighted) Choose(TrainingSet data, float[] embeddings, float[] values)
    {
        var folds = _ks.Length * _weightings.Length > 1 ? TrainingMatrix.TuningFolds(data, _tuningFolds, _seed) : null;
        if (folds is null)
        {
            return (_ks[0], _weightings[0]);
        }

        var (n, d, t) = (data.Count, data.EmbeddingDimensions, data.Targets.Count);
        var fallback = TrainingMatrix.OutOfFoldMeans(data, folds);
        var smallestTraining = Enumerable.Range(0, folds.Max() + 1).Min(f => folds.Count(x => x != f));
        var kMax = Math.Min(_ks[^1], smallestTraining);

        // Every prompt's kMax nearest neighbours outside its fold, most similar first; smaller k read a prefix.
        var similarities = new float[n * kMax];
        var neighbours = new int[n * kMax];
        Parallel.For(0, n, () => new TopK(kMax), (i, _, top) =>
        {
            top.Clear();
            var query = embeddings.AsSpan(i * d, d);
            for (var j = 0; j < n; j++)
            {
                if (folds[j] != folds[i])
                {
                    top.Offer(TensorPrimitives.Dot(query, embeddings.AsSpan(j * d, d)), j);
                }
            }

            top.CopySorted(similarities.AsSpan(i * kMax, kMax), neighbours.AsSpan(i * kMax, kMax));
            return top;
        }, _ => { });

        var best = (K: _ks[0], Weighted: _weightings[0], Error: double.PositiveInfinity);
        var prediction = new double[t];
        foreach (var k in _ks.Select(k => Math.Min(k, kMax)).Distinct())
        {
            foreach (var weighted in _weightings)
            {
                var error = new HeldOutError(t);
                for (var i = 0; i < n; i++)
                {
                    KnnModel.Aggregate(similarities.AsSpan(i * kMax, k), neighbours.AsSpan(i * kMax, k), weighted, values, fallback[folds[i]], prediction);
                    for (var j = 0; j < t; j++)
                    {
                        error.Add(j, prediction[j], data.Value(i, j));
                    }
                }

                if (error.Score < best.Error)
                {
                    best = (k, weighted, error.Score);
                }
            }
        }

        return (best.K, best.Weighted);
    }
}
