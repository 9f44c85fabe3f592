using Microsoft.Extensions.AI;
using Switchyard.Evaluation;
using Switchyard.Evaluation.Metrics;
using Switchyard.Evaluation.Simulation;
using Switchyard.Tests.Routing.Difficulty;

namespace Switchyard.Tests.Evaluation.Simulation;

public sealed class RoutingSimulationTests
{
    private static readonly SimulationSettings Settings = new(SyntheticOutcomes.Weak, SyntheticOutcomes.Strong) { Featurizer = new(HashBits: 12) };

    private static OutcomeRecord Row(string id, string prompt, double weak, double strong) =>
        new(id, [new ChatMessage(ChatRole.User, prompt)], new Dictionary<string, ModelOutcome> { [SyntheticOutcomes.Weak] = new(weak), [SyntheticOutcomes.Strong] = new(strong) });

    [Fact]
    public void LengthBaseline_IsTheLastUserMessagesLength_SweptLikeTheLearnedRouter()
    {
        var rows = SyntheticOutcomes.Create(400);
        var (train, test) = OutcomeSplit.Split(rows, 0.3, seed: 2);

        var (report, _) = RoutingSimulation.Run(train, test, Settings);

        var expected = new RoutingEvaluator(
            report.Predictions.Select(p => p.WeakScore).ToArray(),
            report.Predictions.Select(p => p.StrongScore).ToArray()).Evaluate("length", [.. test.Select(r => (double)r.Prompt.Length)]);
        Assert.Equal(expected.Apgr, report.Routers["length"].Apgr, 12);
        Assert.Equal(expected.Curve, report.Routers["length"].Curve);
        Assert.Equal(test.Select(r => r.Id), report.Predictions.Select(p => p.Id));
        Assert.Equal(test.Select(r => (double)r.Prompt.Length), report.Predictions.Select(p => p.Length));
    }

    [Fact]
    public void LengthBaseline_UsesTheLastUserMessage()
    {
        var record = new OutcomeRecord(
            "x",
            [new ChatMessage(ChatRole.System, "a long system prompt that does not count"), new ChatMessage(ChatRole.User, "first question"), new ChatMessage(ChatRole.Assistant, "answer"), new ChatMessage(ChatRole.User, "12345")],
            new Dictionary<string, ModelOutcome>());
        Assert.Equal(5, RoutingSimulation.LengthScore(record));
    }

    [Fact]
    public void LengthBaseline_WinsWhenLongPromptsAreTheHardOnes()
    {
        // Hard prompts are long, easy ones short, and the words carry no signal the learned router could use better.
        var rows = Enumerable.Range(0, 600).Select(i => i % 3 == 0
            ? Row($"r{i}", $"item {i} " + new string('x', 200 + (i % 17)), 0, 1)
            : Row($"r{i}", $"item {i} " + new string('x', 20 + (i % 13)), 1, 1)).ToList();
        var (train, test) = OutcomeSplit.Split(rows, 0.3, seed: 1);

        var (report, _) = RoutingSimulation.Run(train, test, Settings);

        Assert.True(report.Routers["length"].Apgr > 0.8, $"length APGR {report.Routers["length"].Apgr}");
        Assert.True(report.Routers["length"].Apgr > report.Routers["random"].Apgr + 0.2);
    }

    [Fact]
    public void LeakGuard_EmptyingTraining_SaysSo()
    {
        var rows = SyntheticOutcomes.Create(100);
        var copies = rows.Select(r => r with { Id = "copy/" + r.Id }).ToList();

        var ex = Assert.Throws<SimulationInputException>(() => RoutingSimulation.Run(copies, rows, Settings));

        Assert.StartsWith("The leak guard emptied the training set: 100 training prompts have outcomes for both 'local' and 'backup', 100 of them are also in the test set", ex.Message, StringComparison.Ordinal);
        Assert.Contains("never on both sides", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LeakGuard_LeavingTooFew_SaysSo()
    {
        var rows = SyntheticOutcomes.Create(100);
        var train = rows.Take(5).Concat(rows.Skip(50).Select(r => r with { Id = "copy/" + r.Id })).ToList();

        var ex = Assert.Throws<SimulationInputException>(() => RoutingSimulation.Run(train, rows.Skip(50).ToList(), Settings));

        Assert.StartsWith("The leak guard left too few training prompts: 55 training prompts have outcomes for both 'local' and 'backup', 50 of them are also in the test set and were dropped (a prompt is never on both sides), leaving 5; training needs at least 10.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NoTestPromptWithBothModels_IsAnInputError()
    {
        var rows = SyntheticOutcomes.Create(50);
        var test = rows.Select(r => r with { Outcomes = new Dictionary<string, ModelOutcome> { [SyntheticOutcomes.Weak] = r.Outcomes[SyntheticOutcomes.Weak] } }).ToList();

        var ex = Assert.Throws<SimulationInputException>(() => RoutingSimulation.Run(rows, test, Settings));

        Assert.Equal("No test prompt has outcomes for both 'local' and 'backup'.", ex.Message);
    }

    [Fact]
    public void Predictions_CarryCostsWhenKnown()
    {
        var rows = SyntheticOutcomes.Create(100).Select(r => r with
        {
            Outcomes = new Dictionary<string, ModelOutcome>
            {
                [SyntheticOutcomes.Weak] = r.Outcomes[SyntheticOutcomes.Weak] with { Cost = 0.001m },
                [SyntheticOutcomes.Strong] = r.Outcomes[SyntheticOutcomes.Strong] with { Cost = 0.01m },
            },
        }).ToList();
        var (train, test) = OutcomeSplit.Split(rows, 0.3, seed: 1);

        var (report, _) = RoutingSimulation.Run(train, test, Settings);

        Assert.True(report.CostInDollars);
        Assert.All(report.Predictions, p => Assert.Equal((0.001m, 0.01m), (p.WeakCost, p.StrongCost)));
    }
}
