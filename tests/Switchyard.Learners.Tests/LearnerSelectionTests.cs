using Switchyard.Routing.Difficulty;
using Switchyard.Routing.Learners;

namespace Switchyard.Learners.Tests;

public sealed class LearnerSelectionTests
{
    [Fact]
    public void Picks_an_embedding_learner_when_the_topic_decides_and_length_does_not()
    {
        var (set, _) = Synthetic.Clusters([0.95, 0.05, 0.8, 0.2, 0.6, 0.4], 40, seed: 51);

        var result = LearnerSelection.Run(set, Synthetic.Weak, Synthetic.Strong);

        Assert.Equal(["length", "knn", "cluster", "logistic"], result.Table.Select(r => r.Learner));
        Assert.False(result.FellBackToBaseline);
        Assert.NotEqual("length", result.Chosen);
        var baseline = result.Table[0];
        Assert.True(result.ChosenRow.Apgr > baseline.Apgr, result.FormatTable());
        Assert.True(result.ChosenRow.Apgr > 0.6, result.FormatTable());
        Assert.Equal(result.Table.Max(r => r.Apgr), result.ChosenRow.Apgr);
        Assert.All(result.Table, r => Assert.Equal(5, r.Fitted.Count));
        Assert.All(result.Table, r => Assert.InRange(r.Apgr, 0, 1));
        Assert.Contains("chosen: " + result.Chosen, result.FormatTable(), StringComparison.Ordinal);
    }

    [Fact]
    public void Out_of_fold_predictions_calibrate_a_threshold_as_for_the_linear_router()
    {
        var (set, _) = Synthetic.Clusters([0.9, 0.1], 40, seed: 56);
        var result = LearnerSelection.Run(set, Synthetic.Weak, Synthetic.Strong, [new KnnLearner()]);

        var calibration = result.Calibration("knn");
        Assert.Equal(set.Count, calibration.Count);
        var threshold = ThresholdCalibrator.ForStrongShare(calibration, 0.5);
        Assert.Equal(0.5, threshold.StrongShare, 0.05);
        Assert.True(threshold.Pgr > 0.8, $"PGR {threshold.Pgr}"); // the weak model fails almost only in cluster 1
    }

    [Fact]
    public void Falls_back_to_the_length_baseline_when_no_learner_beats_it_and_says_so()
    {
        // Length decides (short: weak good; long: weak bad); the embeddings carry no signal.
        var (set, _) = Synthetic.Clusters([0.5, 0.5], 60, seed: 52, spread: 2.0, length: (_, i) => i < 30 ? 40 + i : 900 + i);

        var result = LearnerSelection.Run(set, Synthetic.Weak, Synthetic.Strong);

        Assert.Equal("length", result.Chosen);
        Assert.True(result.FellBackToBaseline);
        Assert.Contains("no learner beat the length baseline", result.Reason, StringComparison.Ordinal);
        Assert.All(result.Table.Skip(1), r => Assert.True(r.Apgr <= result.Table[0].Apgr));
    }

    [Fact]
    public void Never_picks_a_learner_below_the_baseline_even_if_it_is_best_at_something_else()
    {
        // A learner that always predicts the opposite of what length says: its APGR is the baseline's mirror image.
        var (set, _) = Synthetic.Clusters([0.5, 0.5], 40, seed: 53, spread: 2.0, length: (_, i) => i < 20 ? 40 + i : 900 + i);

        var result = LearnerSelection.Run(set, Synthetic.Weak, Synthetic.Strong, [new Inverted(new LengthBaseline())]);

        Assert.Equal("length", result.Chosen);
        Assert.True(result.Table[1].Apgr < result.Table[0].Apgr);
    }

    [Fact]
    public void Out_of_fold_predictions_never_come_from_a_model_that_saw_the_prompt()
    {
        // Every prompt appears twice (same group); a memorising learner would be perfect if a copy leaked into training.
        var (baseSet, _) = Synthetic.Clusters([0.5, 0.5, 0.5, 0.5], 15, seed: 54, spread: 2.0);
        var rows = Enumerable.Range(0, baseSet.Count).SelectMany(i => new[] { i, i }).ToArray();
        var doubled = baseSet.Subset(rows);

        var result = LearnerSelection.Run(doubled, Synthetic.Weak, Synthetic.Strong, [new KnnLearner(ks: [1], distanceWeighted: false)]);

        // Labels are random with respect to the embeddings, so without leakage 1-NN is near chance, not perfect.
        Assert.True(result.Table[1].Apgr < 0.8, result.FormatTable());
        Assert.Equal(doubled.Count, result.Prompts);
    }

    [Fact]
    public void A_set_without_the_pairs_targets_is_refused()
    {
        var (set, _) = Synthetic.Clusters([0.5], 20, seed: 55);

        Assert.Throws<ArgumentException>(() => LearnerSelection.Run(set, "other", Synthetic.Strong));
        Assert.Throws<ArgumentException>(() => LearnerSelection.Run(set, Synthetic.Weak, Synthetic.Strong, [new LengthBaseline()]));
    }

    /// <summary>The length baseline turned around: predicts that longer prompts are easier.</summary>
    private sealed class Inverted(IScoreLearner inner) : IScoreLearner
    {
        public string Name => "inverted";

        public FittedLearner Fit(TrainingSet data)
        {
            var model = Assert.IsType<LengthBaselineModel>(inner.Fit(data));
            return new LengthBaselineModel(model.Targets, [.. model.Curves.Select(c => new IsotonicCurve(c.X, [.. c.Y.Select(y => 1 - y)]))]);
        }
    }
}
