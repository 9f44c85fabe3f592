using System.Numerics.Tensors;
using System.Text.Json.Serialization;

namespace Switchyard.Routing.Learners;

/// <summary>A fitted <see cref="KnnLearner"/>: the training embeddings and target values, k and the weighting.</summary>
public sealed class KnnModel : FittedLearner
{
    /// <summary>The <c>kind</c> in JSON.</summary>
    public const string KindName = "knn";

    /// <summary>A neighbour's weight when weighted: 1 / (<see cref="WeightOffset"/> + cosine distance).</summary>
    public const double WeightOffset = 0.05;

    /// <summary>Creates the model.</summary>
    /// <param name="targets">What it predicts.</param>
    /// <param name="dimensions">Embedding length.</param>
    /// <param name="k">Neighbours averaged.</param>
    /// <param name="distanceWeighted">Whether they are weighted by 1 / (0.05 + 1 − cosine).</param>
    /// <param name="embeddings">The training embeddings, row-major (prompts × dimensions).</param>
    /// <param name="values">The training targets, row-major (prompts × targets), NaN where unknown.</param>
    /// <param name="means">Each target's training mean: the prediction when no neighbour knows the target.</param>
    [JsonConstructor]
    public KnnModel(IReadOnlyList<LearnerTarget> targets, int dimensions, int k, bool distanceWeighted, float[] embeddings, float[] values, double[] means)
        : base(targets)
    {
        Dimensions = dimensions;
        K = k;
        DistanceWeighted = distanceWeighted;
        Embeddings = embeddings;
        Values = values;
        Means = means;
    }

    /// <summary>Embedding length.</summary>
    [JsonPropertyName("dimensions")]
    public int Dimensions { get; }

    /// <summary>Neighbours averaged.</summary>
    [JsonPropertyName("k")]
    public int K { get; }

    /// <summary>Whether neighbours are weighted by similarity.</summary>
    [JsonPropertyName("distance_weighted")]
    public bool DistanceWeighted { get; }

    /// <summary>The training embeddings, row-major.</summary>
    [JsonPropertyName("embeddings")]
    [JsonConverter(typeof(Base64FloatArrayConverter))]
    public float[] Embeddings { get; }

    /// <summary>The training targets, row-major, NaN where unknown.</summary>
    [JsonPropertyName("values")]
    [JsonConverter(typeof(Base64FloatArrayConverter))]
    public float[] Values { get; }

    /// <summary>Each target's training mean.</summary>
    [JsonPropertyName("means")]
    public double[] Means { get; }

    /// <summary>Training prompts kept.</summary>
    [JsonIgnore]
    public int Count => Dimensions > 0 ? Embeddings.Length / Dimensions : 0;

    /// <inheritdoc />
    public override int EmbeddingDimensions => Dimensions;

    /// <inheritdoc />
    public override string Description => $"k={K}{(DistanceWeighted ? ", weighted" : "")}";

    /// <summary>
    /// Each target's (weighted) mean over the given neighbours that know it, or <paramref name="fallback"/> when none does.
    /// </summary>
    internal static void Aggregate(ReadOnlySpan<float> similarities, ReadOnlySpan<int> neighbours, bool weighted, float[] values, double[] fallback, Span<double> destination)
    {
        var t = fallback.Length;
        for (var j = 0; j < t; j++)
        {
            var (sum, weights) = (0.0, 0.0);
            for (var n = 0; n < neighbours.Length; n++)
            {
                var v = values[(neighbours[n] * t) + j];
                if (float.IsNaN(v))
                {
                    continue;
                }

                var w = weighted ? 1 / (WeightOffset + 1 - similarities[n]) : 1;
                sum += w * v;
                weights += w;
            }

            destination[j] = weights > 0 ? sum / weights : fallback[j];
        }
    }

    /// <inheritdoc />
    private protected override void PredictCore(PromptFeatures features, Span<double> destination)
    {
        var d = Dimensions;
        var top = new TopK(K);
        var query = features.Embedding.AsSpan();
        for (var i = 0; i < Count; i++)
        {
            top.Offer(TensorPrimitives.Dot(query, Embeddings.AsSpan(i * d, d)), i);
        }

        Span<float> similarities = new float[K];
        Span<int> neighbours = new int[K];
        var found = top.CopySorted(similarities, neighbours);
        Aggregate(similarities[..found], neighbours[..found], DistanceWeighted, Values, Means, destination);
    }

    /// <inheritdoc />
    private protected override void ValidateCore()
    {
        Require(Dimensions > 0 && Embeddings is not null && Embeddings.Length > 0 && Embeddings.Length % Dimensions == 0, "knn: 'embeddings' must hold a whole number of 'dimensions'-long rows.");
        Require(Values is not null && Values.Length == Count * Targets.Count, "knn: 'values' must hold one value per prompt and target.");
        Require(Means is not null && Means.Length == Targets.Count && Means.All(m => m is >= 0 and <= 1), "knn: 'means' must hold one value in [0, 1] per target.");
        Require(K >= 1 && K <= Count, "knn: 'k' must be between 1 and the number of prompts.");
        Require(Values.All(v => float.IsNaN(v) || v is >= 0 and <= 1), "knn: a value is outside [0, 1].");
    }
}
