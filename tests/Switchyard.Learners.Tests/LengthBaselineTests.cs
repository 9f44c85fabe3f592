using Switchyard.Routing.Learners;

namespace Switchyard.Learners.Tests;

public sealed class LengthBaselineTests
{
    [Fact]
    public void Short_prompts_get_the_short_prompts_rate_and_long_ones_the_long_ones()
    {
        // Weak good on every prompt under 500 characters, never above.
        var (set, _) = Synthetic.Clusters([1.0, 0.0], 30, seed: 1, length: (c, i) => c == 0 ? 50 + i : 1000 + i);
        var model = new LengthBaseline().Fit(set);

        var goodEnough = model.IndexOf(LearnerTarget.GoodEnough(Synthetic.Weak, Synthetic.Strong));
        Assert.Equal(1, Predict(model, 60)[goodEnough], 1e-5);
        Assert.Equal(0, Predict(model, 5000)[goodEnough], 1e-5);
        Assert.Equal(1, Predict(model, 60)[model.IndexOf(LearnerTarget.Score(Synthetic.Strong))], 1e-5);
    }

    [Fact]
    public void Predictions_fall_strictly_with_length_even_where_the_fit_is_flat()
    {
        // No relation between length and outcome: the isotonic fit is one flat step.
        var (set, _) = Synthetic.Clusters([0.5], 40, seed: 2);
        var model = new LengthBaseline().Fit(set);

        var previous = double.PositiveInfinity;
        foreach (var length in new[] { 0, 1, 10, 100, 1000, 10_000, 100_000 })
        {
            var p = Predict(model, length)[2];
            Assert.InRange(p, 0, 1);
            Assert.True(p < previous, $"P(good) at length {length} is {p}, not below {previous}.");
            previous = p;
        }
    }

    [Fact]
    public void Needs_no_embedding()
    {
        var (set, _) = Synthetic.Clusters([0.5], 10, seed: 3);
        var model = new LengthBaseline().Fit(set);

        Assert.Equal(0, model.EmbeddingDimensions);
        Assert.InRange(model.Predict(new PromptFeatures([], new float[16], 10))[0], 0, 1);
    }

    private static double[] Predict(FittedLearner model, int length) => model.Predict(new PromptFeatures([], new float[16], length));
}
