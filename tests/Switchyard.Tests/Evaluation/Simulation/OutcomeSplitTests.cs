using Microsoft.Extensions.AI;
using Switchyard.Evaluation;
using Switchyard.Evaluation.Simulation;
using Switchyard.Tests.Routing.Difficulty;

namespace Switchyard.Tests.Evaluation.Simulation;

public sealed class OutcomeSplitTests
{
    [Fact]
    public void Split_IsDisjoint_CoversEverything_AndRepeatsForASeed()
    {
        var rows = SyntheticOutcomes.Create(500);
        var (train, test) = OutcomeSplit.Split(rows, 0.3, seed: 5);
        var (train2, test2) = OutcomeSplit.Split(rows, 0.3, seed: 5);
        var (_, test3) = OutcomeSplit.Split(rows, 0.3, seed: 6);

        Assert.Equal(500, train.Count + test.Count);
        Assert.Equal(150, test.Count);
        Assert.Empty(train.Select(OutcomeSplit.Key).Intersect(test.Select(OutcomeSplit.Key)));
        Assert.Equal(test.Select(r => r.Id), test2.Select(r => r.Id));
        Assert.Equal(train.Select(r => r.Id), train2.Select(r => r.Id));
        Assert.NotEqual(test.Select(r => r.Id), test3.Select(r => r.Id));
    }

    [Fact]
    public void DuplicatePrompts_StayOnOneSide()
    {
        var rows = new List<OutcomeRecord>();
        for (var i = 0; i < 200; i++)
        {
            // Every prompt text appears four times under different ids (as re-asked questions do in real logs).
            var text = $"question {i / 4}";
            rows.Add(new OutcomeRecord($"id{i}", [new ChatMessage(ChatRole.User, text)], new Dictionary<string, ModelOutcome> { ["w"] = new(1), ["s"] = new(1) }));
        }

        for (var seed = 0; seed < 20; seed++)
        {
            var (train, test) = OutcomeSplit.Split(rows, 0.25, seed);
            Assert.Empty(train.Select(r => r.Prompt).Intersect(test.Select(r => r.Prompt)));
            Assert.Equal(0, test.Count % 4);
        }
    }

    [Fact]
    public void Simulation_SeparateFiles_DropsOverlapFromTraining()
    {
        var rows = SyntheticOutcomes.Create(300);
        var test = rows.Take(60).ToList();
        var train = rows.Skip(30).ToList(); // 30 rows shared with the test set
        var (report, _) = RoutingSimulation.Run(train, test, new SimulationSettings(SyntheticOutcomes.Weak, SyntheticOutcomes.Strong) { Featurizer = new(HashBits: 12) });

        Assert.Equal(30, report.TrainOverlapDropped);
        Assert.Equal(240, report.TrainPrompts);
        Assert.Equal(60, report.TestPrompts);
    }

    [Fact]
    public void Simulation_LearnedBeatsRandom_OracleAndConstantsAsDefined()
    {
        var rows = SyntheticOutcomes.Create(600);
        var (train, test) = OutcomeSplit.Split(rows, 0.3, seed: 1);
        var (report, router) = RoutingSimulation.Run(train, test, new SimulationSettings(SyntheticOutcomes.Weak, SyntheticOutcomes.Strong) { Featurizer = new(HashBits: 12) });

        Assert.Equal(RoutingSimulation.RouterNames, report.Routers.Keys);
        Assert.True(report.Routers["learned"].Apgr > report.Routers["random"].Apgr + 0.2, $"learned {report.Routers["learned"].Apgr}, random {report.Routers["random"].Apgr}");
        Assert.True(report.Routers["learned"].Cpt50 < report.Routers["random"].Cpt50);
        Assert.Equal(0, report.Routers["always_weak"].Apgr, 9);
        Assert.Equal(1, report.Routers["always_strong"].Apgr, 9);
        Assert.True(report.Routers["oracle"].Apgr >= report.Routers["learned"].Apgr);
        Assert.False(report.CostInDollars);
        Assert.Single(router.Pairs);
    }
}
