using Switchyard.Routing.Difficulty;
using Switchyard.Routing.Learners;

namespace Switchyard.Learners.Tests;

/// <summary>
/// Synthetic prompts whose right answer is known: embeddings drawn around a few random unit directions in 384
/// dimensions (nearly orthogonal), each cluster with its own success rates. These test the learners' maths;
/// MiniLmRoutingTests and RouteLlmGsm8kTests use real MiniLM embeddings.
/// </summary>
internal static class Synthetic
{
    public const int Dimensions = 384;
    public const string Weak = "weak";
    public const string Strong = "strong";

    public static IReadOnlyList<LearnerTarget> PairTargets { get; } = LearnerTarget.ForPair(Weak, Strong);

    /// <summary>Unit directions, one per cluster.</summary>
    public static float[][] Centers(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => Normalise(Gaussian(random, Dimensions, 1)))];
    }

    /// <summary>A unit vector near <paramref name="center"/> (noise of total length about <paramref name="spread"/>).</summary>
    public static float[] Near(float[] center, double spread, Random random)
    {
        var noise = Gaussian(random, Dimensions, spread / Math.Sqrt(Dimensions));
        return Normalise([.. center.Select((c, i) => c + noise[i])]);
    }

    public static PromptFeatures Features(float[] embedding, int length = 100) =>
        new(embedding, new float[ConversationFeaturizer.DenseCount], length);

    /// <summary>
    /// <paramref name="perCluster"/> prompts per cluster; in cluster c exactly round(weakRates[c]·perCluster) have the
    /// weak model right (score 1), and the strong model is always right, so good-enough = weak score.
    /// </summary>
    public static (TrainingSet Set, float[][] Centers) Clusters(double[] weakRates, int perCluster, int seed, double spread = 0.5, Func<int, int, int>? length = null)
    {
        var centers = Centers(weakRates.Length, seed);
        var random = new Random(seed + 1);
        var features = new List<PromptFeatures>();
        var values = new List<double[]>();
        for (var c = 0; c < weakRates.Length; c++)
        {
            var good = (int)Math.Round(weakRates[c] * perCluster);
            for (var i = 0; i < perCluster; i++)
            {
                var weak = i < good ? 1.0 : 0.0;
                features.Add(Features(Near(centers[c], spread, random), length?.Invoke(c, i) ?? random.Next(20, 2000)));
                values.Add([weak, 1.0, DifficultyTrainer.Label(weak, 1.0, 0)]);
            }
        }

        return (new TrainingSet(features, PairTargets, values), centers);
    }

    private static double[] Gaussian(Random random, int n, double sd) =>
        [.. Enumerable.Range(0, n).Select(_ => sd * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()))];

    private static float[] Normalise(IReadOnlyList<double> v)
    {
        var norm = Math.Sqrt(v.Sum(x => x * x));
        return [.. v.Select(x => (float)(x / norm))];
    }
}
