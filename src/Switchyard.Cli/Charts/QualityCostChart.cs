using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using ScottPlot;
using Switchyard.Evaluation.Simulation;

namespace Switchyard.Cli.Charts;

/// <summary>
/// Draws a simulation's quality-vs-cost curves (one line per scored router, points for the single models) as a PNG,
/// for the first seed's held-out prompts, under a title that names both models and is fitted to the image width.
/// </summary>
[SuppressMessage("Performance", "CA1515:Consider making public types internal", Justification = "Public so tests can check the title fitting (the CLI grants no InternalsVisibleTo).")]
public static class QualityCostChart
{
    /// <summary>The default image width in pixels.</summary>
    public const int DefaultWidth = 900;

    /// <summary>The default image height in pixels.</summary>
    public const int DefaultHeight = 600;

    /// <summary>Pixels kept free at each side of the title.</summary>
    private const float TitleMargin = 16;

    /// <summary>The smallest title font the fitting goes down to before it shortens model names.</summary>
    private const float SmallestTitleFont = 11;

    /// <summary>Writes the chart of <paramref name="summary"/>'s first run to <paramref name="path"/>.</summary>
    /// <param name="summary">The simulation (one or more seeds).</param>
    /// <param name="path">The PNG file; its folder must exist.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    internal static void Save(SimulationSummary summary, string path, int width = DefaultWidth, int height = DefaultHeight)
    {
        var report = summary.Runs[0];
        var plot = new Plot();
        foreach (var (name, evaluation) in report.Routers)
        {
            var xs = evaluation.Curve.Select(p => report.CostInDollars ? p.Cost : p.StrongShare * 100).ToArray();
            var ys = evaluation.Curve.Select(p => p.Quality).ToArray();
            if (name is "always_weak" or "always_strong")
            {
                var marker = plot.Add.Marker(xs[0], ys[0]);
                marker.LegendText = name == "always_weak" ? $"always {report.Weak}" : $"always {report.Strong}";
                marker.MarkerSize = 12;
                continue;
            }

            var line = plot.Add.Scatter(xs, ys);
            line.LegendText = double.IsNaN(evaluation.Apgr)
                ? name
                : string.Create(CultureInfo.InvariantCulture, $"{name} (APGR {evaluation.Apgr:0.000})");
            line.LineWidth = name == "learned" ? 3 : 1.5f;
            line.MarkerSize = 5;
            if (name == "length")
            {
                line.LinePattern = LinePattern.Dashed;
            }
        }

        var (title, size) = FitTitle(summary, width);
        plot.Title(title, size);
        plot.XLabel(report.CostInDollars ? "mean cost per prompt (USD)" : "calls to the strong model (%)");
        plot.YLabel("mean quality (0–1)");
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, width, height);
    }

    /// <summary>
    /// The chart's title and font size: both model names and what was held out, on one line when it fits the image,
    /// else on two lines, else in a smaller font, else with the middle of long model names cut out.
    /// </summary>
    /// <param name="summary">The simulation.</param>
    /// <param name="width">The image width in pixels.</param>
    /// <returns>The title text (possibly two lines) and its font size in pixels.</returns>
    public static (string Title, float FontSize) FitTitle(SimulationSummary summary, int width = DefaultWidth)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var report = summary.Runs[0];
        var source = summary.Source is { Length: > 0 } s ? SourceName(s) : "outcomes";
        var seed = summary.Runs.Count > 1
            ? string.Create(CultureInfo.InvariantCulture, $"seed {report.Seed} (of {SimulateCommand.SeedList(summary.Seeds)})")
            : string.Create(CultureInfo.InvariantCulture, $"seed {report.Seed}");
        var detail = string.Create(CultureInfo.InvariantCulture, $"{report.TestPrompts} held-out prompts of {source}, {seed}");
        var available = width - (2 * TitleMargin);
        var defaultSize = new Plot().Axes.Title.Label.FontSize;

        for (var cut = 0; ; cut++)
        {
            var weak = Shorten(report.Weak, cut);
            var strong = Shorten(report.Strong, cut);
            var pair = $"{weak} vs {strong}";
            string[] candidates = [$"{pair}: {detail}", $"{pair}\n{detail}"];
            for (var size = defaultSize; size >= SmallestTitleFont; size -= 1)
            {
                foreach (var candidate in candidates)
                {
                    if (MeasureWidth(candidate, size) <= available)
                    {
                        return (candidate, size);
                    }
                }
            }

            if (weak.Length <= 8 && strong.Length <= 8)
            {
                return ($"{pair}\n{detail}", SmallestTitleFont);
            }
        }
    }

    /// <summary>The width in pixels of <paramref name="text"/> (its widest line) as the title draws it at <paramref name="size"/>.</summary>
    /// <param name="text">The title text.</param>
    /// <param name="size">The font size in pixels.</param>
    public static float MeasureWidth(string text, float size)
    {
        var label = new Plot().Axes.Title.Label;
        label.Text = text;
        label.FontSize = size;
        using var paint = Paint.NewDisposablePaint();
        return label.Measure(paint).Width;
    }

    /// <summary>A model name with <paramref name="cut"/> × 4 characters taken out of its middle (and an ellipsis put there).</summary>
    private static string Shorten(string name, int cut)
    {
        var remove = cut * 4;
        if (remove == 0 || name.Length - remove < 8)
        {
            return remove == 0 || name.Length <= 8 ? name : name[..4] + "…" + name[^3..];
        }

        var keep = name.Length - remove;
        var head = (keep + 1) / 2;
        return name[..head] + "…" + name[^(keep - head)..];
    }

    /// <summary>A file's name without its folders; a RouteLLM set's name as it is.</summary>
    private static string SourceName(string source)
    {
        var parts = source.Split(" → ");
        return string.Join(" → ", parts.Select(p => p.StartsWith("routellm/", StringComparison.Ordinal) ? p : Path.GetFileName(p)));
    }
}
