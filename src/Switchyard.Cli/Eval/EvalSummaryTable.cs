using System.Globalization;
using Spectre.Console;
using Switchyard.Evaluation.Tasks;

namespace Switchyard.Cli.Eval;

/// <summary>The per-model summary table of <c>switchyard eval</c>.</summary>
internal static class EvalSummaryTable
{
    public static Table Build(IReadOnlyList<EvalModelSummary> summaries)
    {
        var table = new Table().Title("Evaluation summary").Border(TableBorder.Rounded);
        foreach (var column in new[] { "model", "tasks", "mean score", "answered", "failed", "input tokens", "output tokens", "cost $", "p50 ms", "p95 ms" })
        {
            table.AddColumn(column);
        }

        foreach (var s in summaries)
        {
            table.AddRow(
                Markup.Escape(s.Model),
                s.Tasks.ToString(CultureInfo.InvariantCulture),
                s.MeanScore?.ToString("0.000", CultureInfo.InvariantCulture) ?? "-",
                s.Answered.ToString(CultureInfo.InvariantCulture),
                s.Failed == 0 ? "0" : $"[red]{s.Failed.ToString(CultureInfo.InvariantCulture)}[/]",
                s.InputTokens.ToString(CultureInfo.InvariantCulture),
                s.OutputTokens.ToString(CultureInfo.InvariantCulture),
                s.Cost.ToString("0.000000", CultureInfo.InvariantCulture),
                s.P50LatencyMs?.ToString("0", CultureInfo.InvariantCulture) ?? "-",
                s.P95LatencyMs?.ToString("0", CultureInfo.InvariantCulture) ?? "-");
        }

        return table;
    }
}
