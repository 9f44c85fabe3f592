using Switchyard.Routing.Learners;

namespace Switchyard.Learners.Tests;

public sealed class ClusterProfileLearnerTests
{
    private static readonly double[] Rates = [0.9, 0.1, 0.6, 0.3];

    [Fact]
    public void Profiles_are_the_cluster_rates_smoothed_toward_the_overall_mean()
    {
        var (set, centers) = Synthetic.Clusters(Rates, 40, seed: 21, spread: 0.3);
        var model = Assert.IsType<ClusterProfileModel>(new ClusterProfileLearner(clusterCounts: [4], temperatures: [0], prior: 5).Fit(set));

        Assert.Equal(4, model.Clusters);
        Assert.All(model.Sizes, s => Assert.Equal(40, s));
        var mean = Rates.Average();
        var random = new Random(22);
        for (var c = 0; c < Rates.Length; c++)
        {
            var expected = ((Rates[c] * 40) + (5 * mean)) / (40 + 5);
            var p = model.Predict(Synthetic.Features(Synthetic.Near(centers[c], 0.3, random)));
            Assert.Equal(expected, p[0], 9);
            Assert.Equal(expected, p[2], 9);
            Assert.Equal(1, p[1], 9);
        }
    }

    [Fact]
    public void Cross_validation_chooses_enough_clusters_to_separate_the_rates()
    {
        var (set, centers) = Synthetic.Clusters(Rates, 40, seed: 23, spread: 0.5);
        var model = Assert.IsType<ClusterProfileModel>(new ClusterProfileLearner().Fit(set));

        Assert.True(model.Clusters >= 4, $"chose {model.Clusters} clusters");
        var random = new Random(24);
        for (var c = 0; c < Rates.Length; c++)
        {
            Assert.Equal(Rates[c], model.Predict(Synthetic.Features(Synthetic.Near(centers[c], 0.5, random)))[2], 0.15);
        }
    }

    [Fact]
    public void Soft_assignment_mixes_the_profiles_of_nearby_centroids()
    {
        var (set, centers) = Synthetic.Clusters([1.0, 0.0], 30, seed: 25, spread: 0.3);
        var hard = new ClusterProfileLearner(clusterCounts: [2], temperatures: [0]).Fit(set);
        var soft = new ClusterProfileLearner(clusterCounts: [2], temperatures: [10]).Fit(set);

        // Halfway between the two clusters the hard model picks one profile; a very soft one averages them.
        float[] middle = [.. centers[0].Zip(centers[1], (a, b) => (a + b) / 2)];
        var norm = MathF.Sqrt(middle.Sum(v => v * v));
        middle = [.. middle.Select(v => v / norm)];
        var pHard = hard.Predict(Synthetic.Features(middle))[0];
        var pSoft = soft.Predict(Synthetic.Features(middle))[0];
        Assert.True(pHard > 0.85 || pHard < 0.15, $"hard {pHard}");
        Assert.Equal(0.5, pSoft, 0.05);
    }
}
