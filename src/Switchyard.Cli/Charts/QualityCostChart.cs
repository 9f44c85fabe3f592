using ScottPlot;
using Switchyard.Evaluation.Simulation;

namespace Switchyard.Cli.Charts;

/// <summary>Draws a simulation's quality-vs-cost curves (one line per router, points for the constant routers) as a PNG.</summary>
internal static class QualityCostChart
{
    public static void Save(SimulationReport report, string path, int width = 900, int height = 600)
    {
        var plot = new Plot();
        foreach (var (name, evaluation) in report.Routers)
        {
            var xs = evaluation.Curve.Select(p => report.CostInDollars ? p.Cost : p.StrongShare * 100).ToArray();
            var ys = evaluation.Curve.Select(p => p.Quality).ToArray();
            if (name is "always_weak" or "always_strong")
            {
                var marker = plot.Add.Marker(xs[0], ys[0]);
                marker.LegendText = name.Replace('_', ' ');
                marker.MarkerSize = 12;
                continue;
            }

            var line = plot.Add.Scatter(xs, ys);
            line.LegendText = $"{name} (APGR {evaluation.Apgr:0.000})";
            line.LineWidth = name == "learned" ? 3 : 1.5f;
            line.MarkerSize = 5;
        }

        plot.Title($"{report.Source ?? "simulation"}: routers on {report.TestPrompts} held-out prompts");
        plot.XLabel(report.CostInDollars ? "mean cost per prompt (USD)" : "calls to the strong model (%)");
        plot.YLabel("mean quality (0–1)");
        plot.ShowLegend(Alignment.LowerRight);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        plot.SavePng(path, width, height);
    }
}
