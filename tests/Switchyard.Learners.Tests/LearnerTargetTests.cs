using Microsoft.Extensions.AI;
using Switchyard.Evaluation;
using Switchyard.Routing.Learners;

namespace Switchyard.Learners.Tests;

public sealed class LearnerTargetTests
{
    [Fact]
    public void For_models_predicts_every_score_and_each_cheaper_model_against_the_strongest()
    {
        var targets = LearnerTarget.ForModels(["small", "medium", "large"], margin: 0.1);

        Assert.Equal(
            ["score(small)", "score(medium)", "score(large)", "good_enough(small vs large)", "good_enough(medium vs large)"],
            targets.Select(t => t.ToString()));
        Assert.All(targets.Where(t => t.IsGoodEnough), t => Assert.Equal(0.1, t.Margin));
    }

    [Fact]
    public void Values_come_from_the_record_like_the_linear_routers_labels()
    {
        var record = new OutcomeRecord("p", [new ChatMessage(ChatRole.User, "q")], new Dictionary<string, ModelOutcome>
        {
            ["small"] = new(0.7),
            ["large"] = new(0.75),
        });

        Assert.Equal(0.7, LearnerTarget.Score("small").ValueOf(record));
        Assert.Equal(0, LearnerTarget.GoodEnough("small", "large").ValueOf(record));
        Assert.Equal(1, LearnerTarget.GoodEnough("small", "large", margin: 0.05).ValueOf(record));
        Assert.True(double.IsNaN(LearnerTarget.Score("medium").ValueOf(record)));
        Assert.True(double.IsNaN(LearnerTarget.GoodEnough("medium", "large").ValueOf(record)));
    }

    [Fact]
    public void A_learner_fitted_on_n_models_predicts_each_models_score()
    {
        // Three models on two clusters: a is good on cluster 0 only, b on both, c on neither.
        var centers = Synthetic.Centers(2, seed: 61);
        var random = new Random(62);
        var targets = LearnerTarget.ForModels(["a", "b", "c"]);
        var features = new List<PromptFeatures>();
        var values = new List<double[]>();
        for (var i = 0; i < 60; i++)
        {
            var cluster = i % 2;
            features.Add(Synthetic.Features(Synthetic.Near(centers[cluster], 0.5, random)));
            double a = cluster == 0 ? 1 : 0, b = 1, c = 0;
            values.Add([a, b, c, a >= c ? 1 : 0, b >= c ? 1 : 0]);
        }

        var model = new KnnLearner().Fit(new TrainingSet(features, targets, values));

        var p = model.Predict(Synthetic.Features(Synthetic.Near(centers[1], 0.5, random)));
        Assert.Equal([0, 1, 0, 1, 1], p.Select(v => Math.Round(v, 6)));
    }
}
