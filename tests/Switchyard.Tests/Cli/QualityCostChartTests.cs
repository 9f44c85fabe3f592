using Switchyard.Cli.Charts;
using Switchyard.Evaluation.Metrics;
using Switchyard.Evaluation.Simulation;

namespace Switchyard.Tests.Cli;

/// <summary>The simulate chart's title names both models and fits the image.</summary>
public sealed class QualityCostChartTests
{
    private static SimulationSummary Summary(string weak, string strong, string source, params int[] seeds) =>
        SimulationSummary.Create([.. seeds.Select(seed => new SimulationReport(new Dictionary<string, RouterEvaluation>(), 240, 560, weak, strong) { Source = source, Seed = seed })]);

    [Theory]
    [InlineData("a", "b", "o.jsonl")]
    [InlineData("Meta-Llama-3.1-8B-Instruct", "gpt-4o-2024-08-06", "/some/long/folder/data/zeroeval-outcomes/crux.jsonl")]
    [InlineData("mistralai/Mixtral-8x7B-Instruct-v0.1", "gpt-4-1106-preview", "routellm/mmlu")]
    public void Title_NamesBothModels_AndFitsTheImage(string weak, string strong, string source)
    {
        var (title, size) = QualityCostChart.FitTitle(Summary(weak, strong, source, 1, 2, 3));

        Assert.Contains(weak, title, StringComparison.Ordinal);
        Assert.Contains(strong, title, StringComparison.Ordinal);
        Assert.Contains("240 held-out prompts", title, StringComparison.Ordinal);
        Assert.Contains("seed 1 (of 1–3)", title, StringComparison.Ordinal);
        Assert.DoesNotContain("/some/long/folder", title, StringComparison.Ordinal);
        Assert.True(QualityCostChart.MeasureWidth(title, size) <= QualityCostChart.DefaultWidth - 32, $"'{title}' at {size}px");
    }

    [Fact]
    public void Title_WithVeryLongModelNames_StillFits()
    {
        var weak = "organisation-with-a-long-name/" + new string('w', 120);
        var strong = "another-organisation/" + new string('s', 120);

        var (title, size) = QualityCostChart.FitTitle(Summary(weak, strong, "o.jsonl", 1));

        Assert.True(QualityCostChart.MeasureWidth(title, size) <= QualityCostChart.DefaultWidth - 32, $"'{title}' at {size}px");
        Assert.Contains("organ", title, StringComparison.Ordinal);
        Assert.Contains("…", title, StringComparison.Ordinal);
    }

    [Fact]
    public void Title_ShortNames_OneLineAtTheDefaultSize()
    {
        var (title, _) = QualityCostChart.FitTitle(Summary("local", "backup", "o.jsonl", 1));
        Assert.Equal("local vs backup: 240 held-out prompts of o.jsonl, seed 1", title);
    }
}
