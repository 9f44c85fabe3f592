namespace Switchyard.Routing.Learners;

/// <summary>
/// Clusters the training prompts' embeddings (spherical k-means, k-means++ seeding) and keeps, per cluster and target,
/// the mean value smoothed toward the target's overall mean: (sum + prior·mean) / (count + prior). A prompt is
/// predicted from its nearest centroid, or from a softmax over its similarities to every centroid. The number of
/// clusters and the assignment temperature are chosen by grouped cross-validation (mean squared error over targets).
/// </summary>
/// <remarks>The model is small (k centroids and a k × targets table) and prediction costs k dot products.</remarks>
public sealed class ClusterProfileLearner : IScoreLearner
{
    /// <summary>The name in tables.</summary>
    public const string LearnerName = "cluster";

    /// <summary>The cluster counts tried by default.</summary>
    public static readonly IReadOnlyList<int> DefaultClusterCounts = [4, 8, 16, 32];

    /// <summary>The assignment temperatures tried by default: 0 is the nearest centroid only; 0.05 mixes clusters within a few hundredths of cosine.</summary>
    public static readonly IReadOnlyList<double> DefaultTemperatures = [0, 0.05];

    private readonly int[] _clusterCounts;
    private readonly double[] _temperatures;
    private readonly double _prior;
    private readonly int _tuningFolds;
    private readonly int _seed;

    /// <summary>Creates the learner.</summary>
    /// <param name="clusterCounts">The k to choose from (default <see cref="DefaultClusterCounts"/>); a k is tried only when every tuning fold has at least 2k training prompts.</param>
    /// <param name="temperatures">The softmax temperatures to choose from (0 = nearest centroid; default <see cref="DefaultTemperatures"/>).</param>
    /// <param name="prior">How many prompts' worth of the overall mean each cluster's rate starts from (additive smoothing).</param>
    /// <param name="tuningFolds">Folds of the cross-validation that chooses (2–20).</param>
    /// <param name="seed">Seed of k-means++ and of the fold assignment.</param>
    public ClusterProfileLearner(IReadOnlyList<int>? clusterCounts = null, IReadOnlyList<double>? temperatures = null, double prior = 5, int tuningFolds = 5, int seed = 1)
    {
        _clusterCounts = [.. (clusterCounts ?? DefaultClusterCounts).Distinct().Order()];
        _temperatures = [.. (temperatures ?? DefaultTemperatures).Distinct().Order()];
        if (_clusterCounts.Length == 0 || _clusterCounts[0] < 1)
        {
            throw new ArgumentException("Cluster counts must be at least 1, and at least one is needed.", nameof(clusterCounts));
        }

        if (_temperatures.Length == 0 || !(_temperatures[0] >= 0) || !double.IsFinite(_temperatures[^1]))
        {
            throw new ArgumentException("Temperatures must be finite and not negative, and at least one is needed.", nameof(temperatures));
        }

        if (!(prior >= 0) || !double.IsFinite(prior))
        {
            throw new ArgumentOutOfRangeException(nameof(prior), prior, "The prior must be a finite number, not negative.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(tuningFolds, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(tuningFolds, 20);
        _prior = prior;
        _tuningFolds = tuningFolds;
        _seed = seed;
    }

    /// <inheritdoc />
    public string Name => LearnerName;

    /// <inheritdoc />
    public FittedLearner Fit(TrainingSet data)
    {
        TrainingMatrix.RequireEmbeddings(data, LearnerName);
        var (n, d) = (data.Count, data.EmbeddingDimensions);
        var embeddings = TrainingMatrix.Embeddings(data);
        var values = TrainingMatrix.Values(data);
        var (k, temperature) = Choose(data, embeddings);
        k = Math.Min(k, n);
        var means = data.Means();
        var centroids = SphericalKMeans.Fit(embeddings, n, d, k, _seed);
        var (profiles, sizes) = ClusterProfileModel.ComputeProfiles(centroids, k, d, embeddings, values, means, _prior);
        return new ClusterProfileModel(data.Targets, d, k, temperature, _prior, centroids, profiles, sizes);
    }

    private (int K, double Temperature) Choose(TrainingSet data, float[] embeddings)
    {
        var folds = _clusterCounts.Length * _temperatures.Length > 1 ? TrainingMatrix.TuningFolds(data, _tuningFolds, _seed) : null;
        if (folds is null)
        {
            return (_clusterCounts[0], _temperatures[0]);
        }

        var (d, t) = (data.EmbeddingDimensions, data.Targets.Count);
        var foldCount = folds.Max() + 1;
        var smallestTraining = Enumerable.Range(0, foldCount).Min(f => folds.Count(x => x != f));
        int[] ks = [.. _clusterCounts.Where(k => 2 * k <= smallestTraining)];
        if (ks.Length == 0)
        {
            ks = [Math.Max(1, Math.Min(_clusterCounts[0], smallestTraining / 2))];
        }

        var errors = new HeldOutError[ks.Length, _temperatures.Length];
        for (var a = 0; a < ks.Length; a++)
        {
            for (var b = 0; b < _temperatures.Length; b++)
            {
                errors[a, b] = new HeldOutError(t);
            }
        }

        var prediction = new double[t];
        for (var f = 0; f < foldCount; f++)
        {
            var trainRows = GroupedFolds.Rows(folds, f, inFold: false);
            var heldOut = GroupedFolds.Rows(folds, f, inFold: true);
            var train = data.Subset(trainRows);
            var trainEmbeddings = TrainingMatrix.Embeddings(train);
            var trainValues = TrainingMatrix.Values(train);
            var means = train.Means();
            for (var a = 0; a < ks.Length; a++)
            {
                var k = ks[a];
                var centroids = SphericalKMeans.Fit(trainEmbeddings, train.Count, d, k, _seed);
                var (profiles, _) = ClusterProfileModel.ComputeProfiles(centroids, k, d, trainEmbeddings, trainValues, means, _prior);
                var similarities = new float[k];
                foreach (var i in heldOut)
                {
                    ClusterProfileModel.Similarities(centroids, k, d, embeddings.AsSpan(i * d, d), similarities);
                    for (var b = 0; b < _temperatures.Length; b++)
                    {
                        ClusterProfileModel.Mix(similarities, _temperatures[b], profiles, t, prediction);
                        for (var j = 0; j < t; j++)
                        {
                            errors[a, b].Add(j, prediction[j], data.Value(i, j));
                        }
                    }
                }
            }
        }

        var best = (K: ks[0], Temperature: _temperatures[0], Error: double.PositiveInfinity);
        for (var a = 0; a < ks.Length; a++)
        {
            for (var b = 0; b < _temperatures.Length; b++)
            {
                if (errors[a, b].Score < best.Error)
                {
                    best = (ks[a], _temperatures[b], errors[a, b].Score);
                }
            }
        }

        return (best.K, best.Temperature);
    }
}
