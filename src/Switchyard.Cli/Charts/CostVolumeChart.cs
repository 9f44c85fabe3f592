using ScottPlot;
using Switchyard.Economics;

namespace Switchyard.Cli.Charts;

/// <summary>
/// Cost per month against monthly request volume: each hosted option (a straight line), the self-hosted deployment
/// (a staircase: whole replicas), the break-even volumes marked, and the workload's own volume.
/// </summary>
internal static class CostVolumeChart
{
    public static void Save(string path, SelfHostedProfile profile, TrafficProfile traffic, IReadOnlyList<HostedPrice> hosted, IReadOnlyList<CrossoverPoint> crossovers, int width = 1000, int height = 620)
    {
        var current = traffic.MonthlyRequests;
        var furthest = crossovers.Select(c => c.BreakEvenMonthlyRequests ?? 0).Append(current).Max();
        var max = Math.Max(furthest * 1.6, 1000);
        const int Points = 240;
        var xs = Enumerable.Range(0, Points + 1).Select(i => max * i / Points).ToArray();

        var plot = new Plot();
        var self = xs.Select(x => (double)CostModel.Evaluate(profile, traffic.AtMonthlyVolume(x)).MonthlyCost).ToArray();
        var selfLine = plot.Add.Scatter(xs, self);
        selfLine.LegendText = $"self-hosted ({profile.Gpus}× {profile.Gpu ?? "GPU"} per replica)";
        selfLine.LineWidth = 3;
        selfLine.MarkerSize = 0;
        selfLine.ConnectStyle = ConnectStyle.StepHorizontal;

        foreach (var option in hosted)
        {
            var perRequest = (double)option.CostPerRequest(traffic.InputTokens, traffic.OutputTokens);
            var line = plot.Add.Scatter(xs, xs.Select(x => x * perRequest).ToArray());
            line.LegendText = "hosted " + option.Id;
            line.MarkerSize = 0;
            line.LineWidth = 2;
        }

        foreach (var c in crossovers.Where(c => c.BreakEvenMonthlyRequests is > 0))
        {
            var v = plot.Add.VerticalLine(c.BreakEvenMonthlyRequests!.Value);
            v.LinePattern = LinePattern.Dashed;
            v.Text = $"break-even {c.HostedModel}";
            v.LabelOppositeAxis = true;
        }

        var now = plot.Add.VerticalLine(current);
        now.Text = "this workload";
        now.LineWidth = 2;
        plot.Title("Monthly cost vs volume");
        plot.XLabel($"requests per month ({traffic.InputTokens:0} in / {traffic.OutputTokens:0} out tokens each, peak {traffic.PeakToMean:0.#}× mean)");
        plot.YLabel("US dollars per month");
        plot.ShowLegend(Alignment.UpperLeft);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        plot.SavePng(path, width, height);
    }
}
