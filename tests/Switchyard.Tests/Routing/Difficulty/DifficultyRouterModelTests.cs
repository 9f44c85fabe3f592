using Microsoft.Extensions.AI;
using Switchyard.Routing.Difficulty;

namespace Switchyard.Tests.Routing.Difficulty;

public sealed class DifficultyRouterModelTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("router-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static DifficultyRouterModel Train() =>
        DifficultyTrainer.TrainRouter(SyntheticOutcomes.Create(300), [SyntheticOutcomes.Weak, SyntheticOutcomes.Strong], new FeaturizerSettings(HashBits: 14), new TrainingSettings(Epochs: 5, LearningRate: 0.1), "synthetic", TimeProvider.System);

    private static IReadOnlyList<ChatMessage> User(string text) => [new ChatMessage(ChatRole.User, text)];

    [Fact]
    public void Trained_HardPromptsScoreLowerThanEasyOnes()
    {
        var router = Train();
        var pair = Assert.Single(router.Pairs);
        Assert.Equal(300, pair.Examples);
        Assert.InRange(pair.GoodEnoughRate, 0.6, 0.72);
        var scorer = router.CreateScorer(pair);
        for (var i = 1000; i < 1010; i++)
        {
            var hard = scorer.PredictGoodEnough(User(SyntheticOutcomes.HardPrompt(i)));
            var easy = scorer.PredictGoodEnough(User(SyntheticOutcomes.EasyPrompt(i)));
            Assert.True(hard < 0.5 && easy > 0.5, $"hard {hard:0.000}, easy {easy:0.000}");
        }

        // Calibration comes from out-of-fold predictions on every training prompt.
        Assert.Equal(300, pair.Calibration.Count);
        var share = ThresholdCalibrator.ForQuality(pair.Calibration, 0.9);
        Assert.InRange(share.StrongShare, 0.25, 0.45);
    }

    [Fact]
    public void File_RoundTrips_SamePredictionsAndCalibration()
    {
        var router = Train();
        var path = Path.Combine(_dir, "router.json");
        router.Save(path);
        var loaded = DifficultyRouterModel.Load(path);

        Assert.Equal(router.Featurizer, loaded.Featurizer);
        Assert.Equal(router.Training, loaded.Training);
        Assert.Equal("synthetic", loaded.Source);
        var (a, b) = (router.Pairs[0], loaded.Pairs[0]);
        Assert.Equal(a.Weak, b.Weak);
        Assert.Equal(a.Strong, b.Strong);
        Assert.Equal(a.Model.Weights, b.Model.Weights);
        Assert.Equal(a.Model.Bias, b.Model.Bias);
        Assert.Equal(a.Calibration.PGood, b.Calibration.PGood);
        Assert.Equal(a.Examples, b.Examples);
        var prompt = User("Compute the integral of e^x");
        Assert.Equal(router.CreateScorer(a).PredictGoodEnough(prompt), loaded.CreateScorer(b).PredictGoodEnough(prompt));
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("{\"format\":\"other\"}", "expected 'switchyard.difficulty-router/1'")]
    [InlineData("{\"format\":\"switchyard.difficulty-router/1\",\"featurizer\":{\"hash_bits\":12},\"pairs\":[]}", "no trained pairs")]
    [InlineData("{\"format\":\"switchyard.difficulty-router/1\",\"featurizer\":{\"hash_bits\":12},\"pairs\":[{\"weak\":\"a\",\"strong\":\"b\",\"weights\":\"AAAA\",\"calibration\":{\"p_good\":[0.5],\"weak\":[1],\"strong\":[1]}}]}", "needs 4112")]
    public void BadFile_ClearFormatException(string content, string expected)
    {
        var path = Path.Combine(_dir, "bad.json");
        File.WriteAllText(path, content);
        var ex = Assert.Throws<FormatException>(() => DifficultyRouterModel.Load(path));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TooFewPrompts_ClearError()
    {
        var ex = Assert.Throws<ArgumentException>(() => DifficultyTrainer.TrainRouter(SyntheticOutcomes.Create(6), [SyntheticOutcomes.Weak, SyntheticOutcomes.Strong]));
        Assert.Contains("Only 6 prompts", ex.Message, StringComparison.Ordinal);
    }
}
