using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchyard.Evaluation;
using Switchyard.Evaluation.Simulation;
using Switchyard.Routing.Learners;
using Switchyard.Routing.Learners.Simulation;
using static Switchyard.Learners.Tests.Simulation.MultiModelSynthetic;

namespace Switchyard.Learners.Tests.Simulation;

/// <summary>The N-model simulation without an embedder (length baseline learners), on topics whose length gives them away.</summary>
public sealed class MultiModelSimulationTests
{
    private static readonly LearnerSelectionSettings Settings = new(Folds: 5);

    [Fact]
    public void Learned_router_aiq_is_above_every_single_model_and_below_the_oracle()
    {
        var (train, test) = OutcomeSplit.Split(Records(90, seed: 3, lengthSeparates: true), 0.3, seed: 1);

        var result = MultiModelSimulation.Run(train, test, Models, Costs, embedder: null, Settings, seed: 1);

        var table = result.FormatTable();
        Assert.Equal(Models, result.Models);
        Assert.Equal(test.Count, result.TestPrompts);
        Assert.Equal(train.Count, result.TrainPrompts);
        Assert.Equal(0, result.DroppedFromTrain);
        Assert.Equal(1, result.CostMin);
        Assert.Equal(10, result.CostMax);
        Assert.All(result.SingleModels, m => Assert.True(result.Learned.Aiq > m.Aiq + 0.1, table));
        Assert.True(result.LearnedBeatsEverySingleModel, table);
        Assert.True(result.Learned.Aiq > result.Random.Aiq + 0.1, table);
        Assert.True(result.Learned.Aiq <= result.Oracle.Aiq + 1e-9, table);

        // Without an embedder the learned router is the length baseline router.
        Assert.Equal(result.Length.Aiq, result.Learned.Aiq, 12);
        Assert.All(result.Pairs, p => Assert.Equal(LengthBaseline.LearnerName, p.Chosen));

        // At the medium model's cost the router is clearly better than the medium model.
        var medium = result.Comparisons[1];
        Assert.Equal(Medium, medium.Model);
        Assert.True(medium.LearnedQuality >= medium.Quality, table);
        Assert.True(medium.LearnedCostForQuality <= medium.Cost, table);
        Assert.True(medium.OracleQuality >= medium.LearnedQuality, table);
        Assert.InRange(medium.CalibratedCost, 1, 10);
    }

    [Fact]
    public void Single_models_random_and_oracle_follow_their_definitions()
    {
        var (train, test) = OutcomeSplit.Split(Records(60, seed: 4, lengthSeparates: true), 0.3, seed: 2);

        var result = MultiModelSimulation.Run(train, test, Models, Costs, embedder: null, Settings, seed: 1);

        var mean = (string model) => test.Average(r => r.Outcomes[model].Score);
        var (small, medium, large) = (mean(Small), mean(Medium), mean(Large));
        Assert.Equal([Small, Medium, Large], result.SingleModels.Select(m => m.Name));
        Assert.Equal([new CostQualityPoint(3, medium)], result[Medium].Points);

        // Over [1, 10]: the cheapest model is flat across the range, the medium one from 3, the dearest adds nothing.
        Assert.Equal(small, result[Small].Aiq, 12);
        Assert.Equal(medium * 7 / 9, result[Medium].Aiq, 12);
        Assert.Equal(0, result[Large].Aiq, 12);

        // Random: the straight line from the cheapest to the strongest model.
        Assert.Equal([new CostQualityPoint(1, small), new CostQualityPoint(10, large)], result.Random.Hull);
        Assert.Equal((small + large) / 2, result.Random.Aiq, 12);

        // Oracle: k = 1 is the cheapest model; with all models, each prompt to the cheapest that got it right.
        Assert.Equal(new CostQualityPoint(1, small), result.Oracle.Points[0]);
        var expectedCost = test.Average(r => r.Outcomes[Small].Score == 1 ? 1.0 : r.Outcomes[Medium].Score == 1 ? 3.0 : 10.0);
        Assert.Equal(1, result.Oracle.Points[^1].Quality, 12);
        Assert.Equal(expectedCost, result.Oracle.Points[^1].Cost, 12);
    }

    [Fact]
    public void Test_prompts_are_never_trained_on_and_incomplete_prompts_are_skipped()
    {
        var records = Records(60, seed: 5, lengthSeparates: true);
        var (_, test) = OutcomeSplit.Split(records, 0.3, seed: 1);

        // The whole set as training data, plus a test prompt again under another id, plus a prompt missing a model.
        var train = records.ToList();
        train.Add(test[0] with { Id = "copy-of-a-test-prompt" });
        train.Add(Incomplete("train-incomplete", "What is the boiling point of water at sea level?"));
        var testWithIncomplete = test.Append(Incomplete("test-incomplete", "What is the freezing point of water?")).ToList();

        var result = MultiModelSimulation.Run(train, testWithIncomplete, Models, Costs, embedder: null, Settings, seed: 1);

        Assert.Equal(test.Count + 1, result.DroppedFromTrain);
        Assert.Equal(records.Count - test.Count, result.TrainPrompts);
        Assert.Equal(test.Count, result.TestPrompts);
        Assert.Equal(test.Select(r => r.Id), result.Predictions.Select(p => p.Id));
        Assert.Equal(records.Count - test.Count, result.Router.Calibration.Scores[0].Length);
    }

    [Fact]
    public void Predictions_and_json_hold_every_cheaper_models_p_good()
    {
        var (train, test) = OutcomeSplit.Split(Records(40, seed: 6, lengthSeparates: true), 0.3, seed: 1);

        var result = MultiModelSimulation.Run(train, test, Models, (r, m) => Costs[m] * (1 + (r.Prompt.Length / 1000.0)), embedder: null, Settings, seed: 2);

        Assert.Equal(2, result.Seed);
        var first = result.Predictions[0];
        Assert.Equal([Small, Medium], first.PGood.Keys);
        Assert.Equal(3, first.Scores.Count);
        Assert.All(first.PGood.Values, p => Assert.InRange(p, 0, 1));
        Assert.Equal(Costs[Large] * (1 + (test[0].Prompt.Length / 1000.0)), first.Costs[Large], 12);

        using var json = JsonDocument.Parse(result.ToJson());
        var root = json.RootElement;
        Assert.Equal(result.Learned.Aiq, root.GetProperty("learned").GetProperty("aiq").GetDouble(), 12);
        Assert.Equal(test.Count, root.GetProperty("predictions").GetArrayLength());
        Assert.True(root.GetProperty("predictions")[0].GetProperty("p_good").TryGetProperty(Small, out _));
        Assert.Equal(3, root.GetProperty("comparisons").GetArrayLength());
        Assert.False(root.TryGetProperty("router", out _));
    }

    [Fact]
    public void Bad_input_is_rejected()
    {
        var (train, test) = OutcomeSplit.Split(Records(40, seed: 7, lengthSeparates: true), 0.3, seed: 1);

        Assert.Throws<ArgumentException>(() => MultiModelSimulation.Run(train, test, [Small], Costs, null, Settings));
        Assert.Throws<ArgumentException>(() => MultiModelSimulation.Run(train, test, [Small, Small], Costs, null, Settings));
        Assert.Throws<ArgumentException>(() => MultiModelSimulation.Run(train, test, [Small, "unknown"], (_, _) => 1, null, Settings));
        Assert.Throws<ArgumentException>(() => MultiModelSimulation.Run(train, test, [Small, Large], new Dictionary<string, double> { [Small] = 1 }, null, Settings));
        Assert.Throws<ArgumentException>(() => MultiModelSimulation.Run(train, test, [Small, Large], (_, m) => m == Small ? -1 : 1, null, Settings));
    }

    [Fact]
    public void List_prices_estimate_input_tokens_from_characters()
    {
        var record = new OutcomeRecord("p", [new ChatMessage(ChatRole.User, new string('x', 4000))], new Dictionary<string, ModelOutcome> { ["a"] = new(1), ["b"] = new(1) { Cost = 0.5m } });
        var cost = ListPrice.CostFunction(new Dictionary<string, ListPrice> { ["a"] = new(2.5, 10), ["b"] = new(1, 1) });

        // 1,000 input tokens at $2.50/M and 256 output tokens at $10/M.
        Assert.Equal(((1000 * 2.5) + (256 * 10)) / 1e6, cost(record, "a"), 15);
        Assert.Equal(0.5, cost(record, "b"), 15);
        Assert.Throws<KeyNotFoundException>(() => cost(record, "c"));
    }

    private static OutcomeRecord Incomplete(string id, string text) =>
        new(id, [new ChatMessage(ChatRole.User, text)], new Dictionary<string, ModelOutcome> { [Small] = new(1), [Large] = new(1) });
}
