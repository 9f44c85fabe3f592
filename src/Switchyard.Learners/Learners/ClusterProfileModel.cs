using System.Numerics.Tensors;
using System.Text.Json.Serialization;

namespace Switchyard.Routing.Learners;

/// <summary>A fitted <see cref="ClusterProfileLearner"/>: centroids and a smoothed profile (every target's mean) per cluster.</summary>
public sealed class ClusterProfileModel : FittedLearner
{
    /// <summary>The <c>kind</c> in JSON.</summary>
    public const string KindName = "cluster_profile";

    /// <summary>Creates the model.</summary>
    /// <param name="targets">What it predicts.</param>
    /// <param name="dimensions">Embedding length.</param>
    /// <param name="clusters">Number of clusters.</param>
    /// <param name="temperature">Softmax temperature over cosine similarities to the centroids; 0 = nearest centroid only.</param>
    /// <param name="prior">The additive smoothing the profiles were computed with (kept for the record).</param>
    /// <param name="centroids">Unit-length centroids, row-major (clusters × dimensions).</param>
    /// <param name="profiles">Per cluster, each target's smoothed mean, row-major (clusters × targets).</param>
    /// <param name="sizes">Training prompts per cluster.</param>
    [JsonConstructor]
    public ClusterProfileModel(IReadOnlyList<LearnerTarget> targets, int dimensions, int clusters, double temperature, double prior, float[] centroids, double[] profiles, int[] sizes)
        : base(targets)
    {
        Dimensions = dimensions;
        Clusters = clusters;
        Temperature = temperature;
        Prior = prior;
        Centroids = centroids;
        Profiles = profiles;
        Sizes = sizes;
    }

    /// <summary>Embedding length.</summary>
    [JsonPropertyName("dimensions")]
    public int Dimensions { get; }

    /// <summary>Number of clusters.</summary>
    [JsonPropertyName("clusters")]
    public int Clusters { get; }

    /// <summary>Softmax temperature; 0 = nearest centroid only.</summary>
    [JsonPropertyName("temperature")]
    public double Temperature { get; }

    /// <summary>The additive smoothing of the profiles.</summary>
    [JsonPropertyName("prior")]
    public double Prior { get; }

    /// <summary>Centroids, row-major.</summary>
    [JsonPropertyName("centroids")]
    [JsonConverter(typeof(Base64FloatArrayConverter))]
    public float[] Centroids { get; }

    /// <summary>Profiles, row-major (clusters × targets).</summary>
    [JsonPropertyName("profiles")]
    public double[] Profiles { get; }

    /// <summary>Training prompts per cluster.</summary>
    [JsonPropertyName("sizes")]
    public int[] Sizes { get; }

    /// <inheritdoc />
    public override int EmbeddingDimensions => Dimensions;

    /// <inheritdoc />
    public override string Description =>
        $"k={Clusters}, {(Temperature > 0 ? $"soft {Temperature.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)}" : "nearest")}";

    /// <summary>
    /// Each cluster's profile from the rows assigned to its nearest centroid: per target (sum + prior·mean) / (count +
    /// prior) over the rows that know the target.
    /// </summary>
    internal static (double[] Profiles, int[] Sizes) ComputeProfiles(float[] centroids, int k, int d, float[] embeddings, float[] values, double[] means, double prior)
    {
        var t = means.Length;
        var n = embeddings.Length / d;
        var sums = new double[k * t];
        var counts = new double[k * t];
        var sizes = new int[k];
        for (var i = 0; i < n; i++)
        {
            var c = SphericalKMeans.Nearest(centroids, k, d, embeddings.AsSpan(i * d, d));
            sizes[c]++;
            for (var j = 0; j < t; j++)
            {
                var v = values[(i * t) + j];
                if (!float.IsNaN(v))
                {
                    sums[(c * t) + j] += v;
                    counts[(c * t) + j]++;
                }
            }
        }

        var profiles = new double[k * t];
        for (var c = 0; c < k; c++)
        {
            for (var j = 0; j < t; j++)
            {
                var count = counts[(c * t) + j];
                profiles[(c * t) + j] = count + prior > 0 ? (sums[(c * t) + j] + (prior * means[j])) / (count + prior) : means[j];
            }
        }

        return (profiles, sizes);
    }

    /// <summary>The cosine similarity of <paramref name="x"/> to each centroid.</summary>
    internal static void Similarities(float[] centroids, int k, int d, ReadOnlySpan<float> x, Span<float> destination)
    {
        for (var c = 0; c < k; c++)
        {
            destination[c] = TensorPrimitives.Dot(centroids.AsSpan(c * d, d), x);
        }
    }

    /// <summary>The profile of the most similar centroid (temperature 0), or the softmax-weighted mix of all profiles.</summary>
    internal static void Mix(ReadOnlySpan<float> similarities, double temperature, double[] profiles, int t, Span<double> destination)
    {
        var best = 0;
        for (var c = 1; c < similarities.Length; c++)
        {
            if (similarities[c] > similarities[best])
            {
                best = c;
            }
        }

        if (!(temperature > 0))
        {
            profiles.AsSpan(best * t, t).CopyTo(destination);
            return;
        }

        destination[..t].Clear();
        var total = 0.0;
        for (var c = 0; c < similarities.Length; c++)
        {
            var w = Math.Exp((similarities[c] - similarities[best]) / temperature);
            total += w;
            for (var j = 0; j < t; j++)
            {
                destination[j] += w * profiles[(c * t) + j];
            }
        }

        for (var j = 0; j < t; j++)
        {
            destination[j] /= total;
        }
    }

    /// <inheritdoc />
    private protected override void PredictCore(PromptFeatures features, Span<double> destination)
    {
        Span<float> similarities = stackalloc float[Clusters];
        Similarities(Centroids, Clusters, Dimensions, features.Embedding, similarities);
        Mix(similarities, Temperature, Profiles, Targets.Count, destination);
    }

    /// <inheritdoc />
    private protected override void ValidateCore()
    {
        Require(Dimensions > 0 && Clusters is >= 1 and <= 4096, "cluster_profile: 'dimensions' must be positive and 'clusters' between 1 and 4096.");
        Require(Centroids is not null && Centroids.Length == Clusters * Dimensions && Centroids.All(float.IsFinite), "cluster_profile: 'centroids' must hold clusters × dimensions finite values.");
        Require(Profiles is not null && Profiles.Length == Clusters * Targets.Count && Profiles.All(p => p is >= 0 and <= 1), "cluster_profile: 'profiles' must hold clusters × targets values in [0, 1].");
        Require(Sizes is not null && Sizes.Length == Clusters, "cluster_profile: 'sizes' must hold one count per cluster.");
        Require(Temperature >= 0 && double.IsFinite(Temperature) && Prior >= 0 && double.IsFinite(Prior), "cluster_profile: 'temperature' and 'prior' must be finite and not negative.");
    }
}
