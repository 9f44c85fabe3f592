using Switchyard.Evaluation;
using Switchyard.Evaluation.Simulation;
using Switchyard.Tests.Routing.Difficulty;

namespace Switchyard.Tests.Evaluation.Simulation;

public sealed class SimulationSummaryTests
{
    [Fact]
    public void MetricSummary_MeanAndRangeOverDefinedSeeds()
    {
        var m = MetricSummary.Of([0.5, double.NaN, 0.7, 0.6]);

        Assert.Equal(0.6, m.Mean, 12);
        Assert.Equal(0.5, m.Min);
        Assert.Equal(0.7, m.Max);
        Assert.Equal(3, m.Defined);
        Assert.Equal(4, m.Values.Count);
        Assert.True(double.IsNaN(m.Values[1]));
    }

    [Fact]
    public void MetricSummary_NothingDefined_IsNaN()
    {
        var m = MetricSummary.Of([double.NaN, double.NaN]);
        Assert.True(double.IsNaN(m.Mean) && double.IsNaN(m.Min) && double.IsNaN(m.Max));
        Assert.Equal(0, m.Defined);
    }

    [Fact]
    public void Summary_OfSeveralSeeds_KeepsEachRunAndEveryRouter()
    {
        var rows = SyntheticOutcomes.Create(300);
        var settings = new SimulationSettings(SyntheticOutcomes.Weak, SyntheticOutcomes.Strong) { Featurizer = new(HashBits: 12) };
        var runs = new[] { 1, 2, 3 }.Select(seed =>
        {
            var (train, test) = OutcomeSplit.Split(rows, 0.3, seed);
            return RoutingSimulation.Run(train, test, settings with { Seed = seed }, "synthetic").Report;
        }).ToList();

        var summary = SimulationSummary.Create(runs);

        Assert.Equal([1, 2, 3], summary.Seeds);
        Assert.Equal(RoutingSimulation.RouterNames, summary.Summary.Keys);
        Assert.Equal(runs.Select(r => r.Routers["learned"].Apgr), summary.Summary["learned"].Apgr.Values);
        Assert.Equal(runs.Average(r => r.Routers["length"].Cpt50), summary.Summary["length"].Cpt50.Mean, 12);
        Assert.Equal("synthetic", summary.Source);
    }

    [Fact]
    public void Summary_RefusesRunsOfDifferentPairs()
    {
        var a = new SimulationReport(new Dictionary<string, Switchyard.Evaluation.Metrics.RouterEvaluation>(), 1, 1, "w", "s");
        var b = a with { Strong = "other" };
        Assert.Throws<ArgumentException>(() => SimulationSummary.Create([a, b]));
    }

    [Fact]
    public void PairStatistics_MeansOnSharedPrompts_CostsOnlyWhenAllKnown()
    {
        var rows = SyntheticOutcomes.Create(30);
        var stats = PairStatistics.Compute(rows, SyntheticOutcomes.Weak, SyntheticOutcomes.Strong);

        Assert.Equal(30, stats.Prompts);
        Assert.Equal(rows.Average(r => r.Outcomes[SyntheticOutcomes.Weak].Score), stats.WeakMeanScore, 12);
        Assert.Equal(1.0, stats.StrongMeanScore);
        Assert.Null(stats.WeakMeanCost);
        Assert.Equal(0, PairStatistics.Compute(rows, SyntheticOutcomes.Weak, "nobody").Prompts);
    }
}
