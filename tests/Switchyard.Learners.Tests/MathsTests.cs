using Switchyard.Routing.Learners;

namespace Switchyard.Learners.Tests;

public sealed class MathsTests
{
    [Fact]
    public void Isotonic_pools_adjacent_violators_into_a_non_increasing_curve()
    {
        var (x, y) = Isotonic.FitDecreasing([1, 2, 3, 4], [1, 0, 1, 0]);

        Assert.Equal([1, 2.5, 4], x);
        Assert.Equal([1, 0.5, 0], y);
        Assert.Equal(0.75, Isotonic.Interpolate(x, y, 1.75), 12);
        Assert.Equal(1, Isotonic.Interpolate(x, y, -5));
        Assert.Equal(0, Isotonic.Interpolate(x, y, 9));
    }

    [Fact]
    public void Isotonic_pools_equal_x_and_equal_neighbouring_steps()
    {
        var (x, y) = Isotonic.FitDecreasing([2, 1, 2, 3, 4], [0, 0.8, 1, 0.2, 0.2]);

        // x = 2 pools to 0.5; x = 3 and 4 (both 0.2) pool into one step.
        Assert.Equal([1, 2, 3.5], x);
        Assert.Equal([0.8, 0.5, 0.2], y);
    }

    [Fact]
    public void Isotonic_of_an_increasing_trend_is_one_flat_step_at_the_mean()
    {
        var (x, y) = Isotonic.FitDecreasing([1, 2, 3], [0, 0.5, 1]);

        Assert.Equal([2.0], x);
        Assert.Equal([0.5], y);
    }

    [Fact]
    public void TopK_keeps_the_highest_and_breaks_ties_by_lower_index_whatever_the_order()
    {
        float[] scores = [0.1f, 0.9f, 0.5f, 0.9f, 0.7f, 0.5f];
        foreach (var order in new[] { new[] { 0, 1, 2, 3, 4, 5 }, [5, 4, 3, 2, 1, 0], [3, 0, 5, 1, 4, 2] })
        {
            var top = new TopK(4);
            foreach (var i in order)
            {
                top.Offer(scores[i], i);
            }

            var kept = new float[4];
            var indices = new int[4];
            Assert.Equal(4, top.CopySorted(kept, indices));
            Assert.Equal([1, 3, 4, 2], indices);
            Assert.Equal([0.9f, 0.9f, 0.7f, 0.5f], kept);
        }
    }

    [Fact]
    public void Spherical_kmeans_finds_well_separated_clusters()
    {
        var centers = Synthetic.Centers(4, seed: 3);
        var random = new Random(4);
        var d = Synthetic.Dimensions;
        var data = new float[40 * d];
        for (var i = 0; i < 40; i++)
        {
            Synthetic.Near(centers[i % 4], 0.3, random).CopyTo(data, i * d);
        }

        var centroids = SphericalKMeans.Fit(data, 40, d, 4, seed: 1);

        // Every point shares its centroid with exactly the points of its own cluster.
        var assigned = Enumerable.Range(0, 40).Select(i => SphericalKMeans.Nearest(centroids, 4, d, data.AsSpan(i * d, d))).ToArray();
        for (var i = 0; i < 40; i++)
        {
            for (var j = 0; j < 40; j++)
            {
                Assert.Equal(i % 4 == j % 4, assigned[i] == assigned[j]);
            }
        }
    }

    [Fact]
    public void Spherical_kmeans_is_deterministic_for_a_seed()
    {
        var (set, _) = Synthetic.Clusters([0.5, 0.5, 0.5], 20, seed: 5, spread: 1.0);
        var data = TrainingMatrix.Embeddings(set);

        Assert.Equal(SphericalKMeans.Fit(data, set.Count, 384, 5, seed: 9), SphericalKMeans.Fit(data, set.Count, 384, 5, seed: 9));
    }

    [Fact]
    public void Dense_logistic_recovers_a_known_model()
    {
        // y ~ Bernoulli(σ(1.5·x0 − 1·x1 + 0.5)) on two standard-normal columns; 4,000 rows.
        var random = new Random(7);
        const int n = 4000;
        var x = new float[n * 2];
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            x[2 * i] = (float)Normal(random);
            x[(2 * i) + 1] = (float)Normal(random);
            var p = Routing.Difficulty.LogisticModel.Sigmoid((1.5 * x[2 * i]) - x[(2 * i) + 1] + 0.5);
            y[i] = random.NextDouble() < p ? 1 : 0;
        }

        var (w, b) = DenseLogistic.Fit(x, 2, [.. Enumerable.Range(0, n)], y, l2: 1e-4, maxIterations: 500);

        Assert.Equal(1.5, w[0], 0.15);
        Assert.Equal(-1.0, w[1], 0.15);
        Assert.Equal(0.5, b, 0.15);
    }

    private static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
