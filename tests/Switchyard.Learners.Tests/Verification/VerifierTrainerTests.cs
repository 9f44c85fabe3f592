using System.Text.Json.Nodes;
using Switchyard.Routing.Learners.Verification;

namespace Switchyard.Learners.Tests.Verification;

public sealed class VerifierTrainerTests
{
    private static readonly Lazy<VerifierModel> Deterministic = new(() =>
        new VerifierTrainer().Fit(VerifierSynthetic.Examples(300, seed: 1), VerifierSynthetic.Weak, VerifierSynthetic.Strong));

    [Fact]
    public void Learns_that_answers_with_a_final_hash_line_are_good()
    {
        var model = Deterministic.Value;
        var test = VerifierSynthetic.Examples(400, seed: 2, idPrefix: "t");

        var p = test.Select(e => model.Predict(e.Messages, e.Answer)).ToArray();
        var auc = RankMetrics.Auc(p, [.. test.Select(e => e.WeakScore)]);

        Assert.True(auc > 0.9, $"AUC {auc}");
        var weights = model.AnswerFeatureWeights;
        Assert.Equal("final_hash", weights.MaxBy(w => w.Value).Key);
        Assert.Equal(0, weights["has_logprobs"]);
        Assert.Equal(300, model.Calibration.Count);
        Assert.All(model.Calibration.PGood, v => Assert.InRange(v, 0, 1));
        Assert.Equal(0, model.EmbeddingDimensions);
        Assert.Equal(1, model.EmbeddingWeight);
        Assert.Contains(model.L2, VerifierTrainerSettings.DefaultL2);
    }

    [Fact]
    public void Calibration_is_out_of_fold_and_predicts_the_label()
    {
        var model = Deterministic.Value;
        var labels = model.Calibration.Weak.Select((w, i) => w >= model.Calibration.Strong[i] ? 1.0 : 0.0).ToArray();

        Assert.True(RankMetrics.Auc(model.Calibration.PGood, labels) > 0.9);
    }

    [Fact]
    public void Is_deterministic()
    {
        var again = new VerifierTrainer().Fit(VerifierSynthetic.Examples(300, seed: 1), VerifierSynthetic.Weak, VerifierSynthetic.Strong);

        Assert.Equal(VerifierModelJson.Serialize(Deterministic.Value), VerifierModelJson.Serialize(again));
    }

    [Fact]
    public void Round_trip_predicts_exactly_the_same()
    {
        var model = Deterministic.Value;
        var json = VerifierModelJson.Serialize(model);
        var loaded = VerifierModelJson.Deserialize(json);

        foreach (var e in VerifierSynthetic.Examples(50, seed: 3, idPrefix: "r"))
        {
            Assert.Equal(model.Predict(e.Messages, e.Answer), loaded.Predict(e.Messages, e.Answer));
        }

        Assert.Equal(model.Calibration.PGood, loaded.Calibration.PGood);
        Assert.Equal(model.ThresholdForStrongShare(0.3), loaded.ThresholdForStrongShare(0.3));
        Assert.Equal(model.ThresholdForQuality(0.8), loaded.ThresholdForQuality(0.8));
        Assert.Equal(json, VerifierModelJson.Serialize(loaded));
    }

    [Fact]
    public void Round_trip_with_an_embedding_through_a_file()
    {
        var embedder = new HashEmbedder();
        var model = new VerifierTrainer().Fit(VerifierSynthetic.Examples(120, seed: 4), VerifierSynthetic.Weak, VerifierSynthetic.Strong, embedder);
        var path = Path.Combine(Path.GetTempPath(), $"switchyard-verifier-{Guid.NewGuid():N}", "verifier.json");
        try
        {
            VerifierModelJson.Save(model, path);
            var node = JsonNode.Parse(File.ReadAllText(path))!;
            var loaded = VerifierModelJson.Load(path);

            Assert.Equal(VerifierModelJson.FormatTag, (string?)node["format"]);
            Assert.Equal(8, (int)node["embedding_dimensions"]!);
            Assert.Equal(AnswerFeatures.Count + 8, loaded.Width);
            Assert.Equal(model.EmbeddingWeight, loaded.EmbeddingWeight);
            Assert.Contains(model.EmbeddingWeight, VerifierTrainerSettings.DefaultEmbeddingWeights);
            foreach (var e in VerifierSynthetic.Examples(20, seed: 5, idPrefix: "r"))
            {
                Assert.Equal(model.Predict(e.Messages, e.Answer, null, embedder), loaded.Predict(e.Messages, e.Answer, null, embedder));
            }

            Assert.Throws<ArgumentException>(() => loaded.Predict(VerifierSynthetic.Examples(1, seed: 6)[0].Messages, "#### 1"));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    public static TheoryData<string, string> BadFiles => new()
    {
        { "format", "format is" },
        { "features", "answer_features" },
        { "weights", "'weights' holds" },
        { "scale", "'scale' must hold positive" },
        { "calibration-range", "outside [0, 1]" },
        { "calibration-length", "equally long" },
        { "calibration-missing", "'calibration' is missing" },
        { "weak", "'weak' and 'strong'" },
        { "l2", "'l2'" },
        { "embedding-weight", "'embedding_weight'" },
        { "bias-type", "not a valid cascade verifier" },
        { "not-json", "not a valid cascade verifier" },
        { "null", "null" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Bad_files_throw_a_format_error_naming_the_problem(string problem, string expected)
    {
        var json = Corrupt(VerifierModelJson.Serialize(Deterministic.Value), problem);

        var error = Assert.Throws<FormatException>(() => VerifierModelJson.Deserialize(json));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_a_format_error_naming_it()
    {
        var path = Path.Combine(Path.GetTempPath(), $"switchyard-missing-{Guid.NewGuid():N}.json");

        var error = Assert.Throws<FormatException>(() => VerifierModelJson.Load(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Strong_share_calibration_holds_on_held_out_predictions()
    {
        var model = new VerifierTrainer().Fit(VerifierSynthetic.Examples(1_000, seed: 7, noisy: true), VerifierSynthetic.Weak, VerifierSynthetic.Strong);
        var heldOut = VerifierSynthetic.Examples(2_000, seed: 8, noisy: true, idPrefix: "h");
        var p = heldOut.Select(e => model.Predict(e.Messages, e.Answer)).ToArray();

        foreach (var target in new[] { 0.2, 0.3, 0.5 })
        {
            var threshold = model.ThresholdForStrongShare(target);
            var share = p.Count(threshold.Escalates) / (double)p.Length;

            Assert.Equal(target, threshold.StrongShare, 0.002);
            Assert.True(Math.Abs(share - target) < 0.05, $"target {target}: held-out share {share}");
        }

        // A quality target escalates more for more quality, and reaches it on the calibration set.
        var low = model.ThresholdForQuality(0.5);
        var high = model.ThresholdForQuality(0.9);
        Assert.True(high.StrongShare > low.StrongShare);
        Assert.True(high.Pgr >= 0.9 - 1e-9);
    }

    [Fact]
    public void Settings_are_validated_and_too_little_data_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new VerifierTrainer(new VerifierTrainerSettings { L2 = [] }));
        Assert.Throws<ArgumentException>(() => new VerifierTrainer(new VerifierTrainerSettings { Margin = -1 }));
        Assert.Throws<ArgumentException>(() => new VerifierTrainer(new VerifierTrainerSettings { TuningFolds = 1 }));
        Assert.Throws<ArgumentException>(() => new VerifierTrainer(new VerifierTrainerSettings { EmbeddingWeights = [0] }));
        Assert.Throws<ArgumentException>(() => new VerifierTrainer(new VerifierTrainerSettings { EmbeddingWeights = [1.5] }));
        Assert.Throws<ArgumentException>(() => new VerifierTrainer().Fit([], "w", "s"));
        Assert.Throws<ArgumentException>(() => new VerifierTrainer().Fit(VerifierSynthetic.Examples(1, seed: 9), "w", "s"));
    }

    private static string Corrupt(string json, string problem)
    {
        if (problem == "not-json")
        {
            return json[..(json.Length / 2)];
        }

        if (problem == "null")
        {
            return "null";
        }

        var node = JsonNode.Parse(json)!.AsObject();
        switch (problem)
        {
            case "format":
                node["format"] = "switchyard.score-learner/1";
                break;
            case "features":
                node["answer_features"]!.AsArray()[0] = "something_else";
                break;
            case "weights":
                node["weights"] = Convert.ToBase64String(new byte[4 * 3]);
                break;
            case "scale":
                node["scale"] = Convert.ToBase64String(new byte[4 * AnswerFeatures.Count]);
                break;
            case "calibration-range":
                node["calibration"]!["p_good"]!.AsArray()[0] = 1.5;
                break;
            case "calibration-length":
                node["calibration"]!["weak"]!.AsArray().RemoveAt(0);
                break;
            case "calibration-missing":
                node.Remove("calibration");
                break;
            case "weak":
                node["weak"] = string.Empty;
                break;
            case "l2":
                node["l2"] = 0;
                break;
            case "embedding-weight":
                node["embedding_weight"] = 2;
                break;
            case "bias-type":
                node["bias"] = "high";
                break;
        }

        return node.ToJsonString();
    }
}
