using System.Text.Json.Nodes;
using Switchyard.Routing.Learners;

namespace Switchyard.Learners.Tests;

public sealed class SerializationTests
{
    public static TheoryData<string> Learners => new() { "length", "knn", "cluster", "logistic" };

    [Theory]
    [MemberData(nameof(Learners))]
    public void Round_trip_predicts_exactly_the_same(string name)
    {
        var (set, centers) = Synthetic.Clusters([0.9, 0.2, 0.5], 30, seed: 41);
        var model = Create(name).Fit(set);

        var json = FittedLearnerJson.Serialize(model);
        var loaded = FittedLearnerJson.Deserialize(json);

        Assert.Equal(model.GetType(), loaded.GetType());
        Assert.Equal(model.Targets, loaded.Targets);
        Assert.Equal(model.Description, loaded.Description);
        var random = new Random(42);
        foreach (var center in centers)
        {
            var x = Synthetic.Features(Synthetic.Near(center, 0.5, random), random.Next(10, 3000));
            Assert.Equal(model.Predict(x), loaded.Predict(x));
        }

        // Written again, it is the same text.
        Assert.Equal(json, FittedLearnerJson.Serialize(loaded));
    }

    [Theory]
    [MemberData(nameof(Learners))]
    public void File_carries_the_format_tag_and_the_kind(string name)
    {
        var (set, _) = Synthetic.Clusters([0.9, 0.2], 20, seed: 43);
        var model = Create(name).Fit(set);
        var path = Path.Combine(Path.GetTempPath(), $"switchyard-learner-{Guid.NewGuid():N}", "learner.json");
        try
        {
            FittedLearnerJson.Save(model, path);
            var node = JsonNode.Parse(File.ReadAllText(path))!;

            Assert.Equal(FittedLearnerJson.FormatTag, (string?)node["format"]);
            Assert.Equal(KindOf(name), (string?)node["learner"]!["kind"]);
            Assert.Equal(model.Predict(set.Features[0]), FittedLearnerJson.Load(path).Predict(set.Features[0]));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Fact]
    public void Another_format_or_an_inconsistent_learner_is_a_format_error()
    {
        var (set, _) = Synthetic.Clusters([0.9, 0.2], 20, seed: 44);
        var json = FittedLearnerJson.Serialize(new KnnLearner().Fit(set));

        var otherFormat = JsonNode.Parse(json)!;
        otherFormat["format"] = "switchyard.difficulty-router/1";
        Assert.Contains("format", Assert.Throws<FormatException>(() => FittedLearnerJson.Deserialize(otherFormat.ToJsonString())).Message, StringComparison.Ordinal);

        var wrongK = JsonNode.Parse(json)!;
        wrongK["learner"]!["k"] = 10_000;
        Assert.Contains("'k'", Assert.Throws<FormatException>(() => FittedLearnerJson.Deserialize(wrongK.ToJsonString())).Message, StringComparison.Ordinal);

        var unknownKind = JsonNode.Parse(json)!;
        unknownKind["learner"]!["kind"] = "forest";
        Assert.Throws<FormatException>(() => FittedLearnerJson.Deserialize(unknownKind.ToJsonString()));

        Assert.Throws<FormatException>(() => FittedLearnerJson.Deserialize("{\"format\": "));
    }

    internal static IScoreLearner Create(string name) => name switch
    {
        "length" => new LengthBaseline(),
        "knn" => new KnnLearner(),
        "cluster" => new ClusterProfileLearner(),
        "logistic" => new EmbeddingLogisticLearner(),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static string KindOf(string name) => name switch
    {
        "length" => LengthBaselineModel.KindName,
        "knn" => KnnModel.KindName,
        "cluster" => ClusterProfileModel.KindName,
        _ => EmbeddingLogisticModel.KindName,
    };
}
