using Switchyard.Routing.Learners;

namespace Switchyard.Learners.Tests;

public sealed class KnnLearnerTests
{
    private static readonly double[] Rates = [0.9, 0.1, 0.6, 0.3];

    [Fact]
    public void Predicts_each_clusters_success_rate()
    {
        var (set, centers) = Synthetic.Clusters(Rates, 50, seed: 11);
        var model = new KnnLearner().Fit(set);

        var random = new Random(12);
        for (var c = 0; c < Rates.Length; c++)
        {
            var p = model.Predict(Synthetic.Features(Synthetic.Near(centers[c], 0.5, random)));
            Assert.Equal(Rates[c], p[0], 0.15);          // weak score
            Assert.Equal(1, p[1], 1e-9);                 // strong score
            Assert.Equal(Rates[c], p[2], 0.15);          // good enough
        }
    }

    [Fact]
    public void Cross_validation_picks_a_small_k_when_clusters_are_small_and_pure()
    {
        // 4 clusters of 10, each all good or all bad: any k above 10 mixes clusters.
        var (set, _) = Synthetic.Clusters([1, 0, 1, 0], 10, seed: 13, spread: 0.3);
        var model = Assert.IsType<KnnModel>(new KnnLearner().Fit(set));

        Assert.InRange(model.K, 5, 10);
    }

    [Fact]
    public void Prediction_is_the_mean_over_the_k_most_similar_prompts()
    {
        float[] e0 = [1, 0, 0], e1 = [0.8f, 0.6f, 0], e2 = [0, 1, 0], e3 = [0, 0, 1];
        var set = new TrainingSet(
            [Synthetic.Features(e0), Synthetic.Features(e1), Synthetic.Features(e2), Synthetic.Features(e3)],
            [LearnerTarget.Score("m")],
            [[1.0], [0.5], [0.0], [0.25]]);
        var model = new KnnLearner(ks: [2], distanceWeighted: false).Fit(set);

        // Query (0.6, 0.8, 0) is closest to e1 (0.96) then e2 (0.8): (0.5 + 0) / 2.
        Assert.Equal(0.25, model.Predict(Synthetic.Features([0.6f, 0.8f, 0]))[0], 6);

        var weighted = new KnnLearner(ks: [2], distanceWeighted: true).Fit(set);
        var (w1, w2) = (1 / (0.05 + 0.04), 1 / (0.05 + 0.2));
        Assert.Equal(((w1 * 0.5) + (w2 * 0)) / (w1 + w2), weighted.Predict(Synthetic.Features([0.6f, 0.8f, 0]))[0], 5);
    }

    [Fact]
    public void Unknown_values_are_skipped_and_fall_back_to_the_mean()
    {
        float[] e0 = [1, 0], e1 = [0, 1];
        var set = new TrainingSet(
            [Synthetic.Features(e0), Synthetic.Features(e1)],
            [LearnerTarget.Score("a"), LearnerTarget.Score("b")],
            [[1.0, double.NaN], [0.0, 0.4]]);
        var model = new KnnLearner(ks: [1]).Fit(set);

        var p = model.Predict(Synthetic.Features([1, 0]));
        Assert.Equal(1, p[0]);
        Assert.Equal(0.4, p[1], 6); // the only neighbour does not know b: the mean of b
    }
}
