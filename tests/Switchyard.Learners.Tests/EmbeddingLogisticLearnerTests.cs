using Switchyard.Routing.Difficulty;
using Switchyard.Routing.Learners;

namespace Switchyard.Learners.Tests;

public sealed class EmbeddingLogisticLearnerTests
{
    [Fact]
    public void Separates_clusters_by_their_embeddings()
    {
        var (set, centers) = Synthetic.Clusters([0.95, 0.05], 60, seed: 31);
        var model = new EmbeddingLogisticLearner().Fit(set);

        var random = new Random(32);
        for (var i = 0; i < 10; i++)
        {
            Assert.True(model.Predict(Synthetic.Features(Synthetic.Near(centers[0], 0.5, random)))[2] > 0.7);
            Assert.True(model.Predict(Synthetic.Features(Synthetic.Near(centers[1], 0.5, random)))[2] < 0.3);
        }
    }

    [Fact]
    public void Reads_the_shape_features_too()
    {
        // One cluster; the weak model is good exactly when shape feature 5 (maths symbols) is 0.
        var (set, centers) = Synthetic.Clusters([0.5], 400, seed: 33);
        var features = new List<PromptFeatures>();
        var values = new List<double[]>();
        for (var i = 0; i < set.Count; i++)
        {
            var isMaths = i % 2 == 0;
            var shape = new float[ConversationFeaturizer.DenseCount];
            shape[5] = isMaths ? 2 : 0;
            features.Add(set.Features[i] with { Shape = shape });
            values.Add(isMaths ? [0, 1, 0] : [1, 1, 1]);
        }

        var model = new EmbeddingLogisticLearner().Fit(new TrainingSet(features, Synthetic.PairTargets, values));

        var mathsShape = new float[ConversationFeaturizer.DenseCount];
        mathsShape[5] = 2;
        var random = new Random(34);
        var (maths, plain) = (new List<double>(), new List<double>());
        for (var i = 0; i < 20; i++)
        {
            // 384 noisy dimensions on 400 prompts: each prediction carries some noise from the embedding, the shape
            // feature moves every one of them the same way.
            var embedding = Synthetic.Near(centers[0], 0.5, random);
            maths.Add(model.Predict(new PromptFeatures(embedding, mathsShape, 100))[2]);
            plain.Add(model.Predict(new PromptFeatures(embedding, new float[ConversationFeaturizer.DenseCount], 100))[2]);
            Assert.True(plain[i] > maths[i] + 0.2, $"maths {maths[i]}, plain {plain[i]}");
        }

        Assert.True(maths.Average() < 0.3 && plain.Average() > 0.7, $"mean maths {maths.Average()}, plain {plain.Average()}, {model.Description}");
    }

    [Fact]
    public void Chooses_a_penalty_per_target_from_the_grid()
    {
        var (set, _) = Synthetic.Clusters([0.8, 0.2], 40, seed: 35);
        var model = Assert.IsType<EmbeddingLogisticModel>(new EmbeddingLogisticLearner().Fit(set));

        Assert.Equal(3, model.L2.Length);
        Assert.All(model.L2, l2 => Assert.Contains(l2, EmbeddingLogisticLearner.DefaultL2));
    }
}
