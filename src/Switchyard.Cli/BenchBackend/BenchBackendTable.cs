using System.Globalization;
using Spectre.Console;

namespace Switchyard.Cli.BenchBackend;

/// <summary>The results table of <c>switchyard bench-backend</c>, narrow enough for an 80-column terminal.</summary>
internal static class BenchBackendTable
{
    public static Table Build(IReadOnlyList<BackendLevelResult> levels, int? profileConcurrency)
    {
        var title = profileConcurrency is null ? "Serving throughput (times in ms)" : "Serving throughput (times in ms; * = profile)";
        var table = new Table().Title(title).Border(TableBorder.Rounded);
        foreach (var column in new[] { "conc", "reqs", "errors", "out\ntok/s", "TTFT\np50", "TTFT\np95", "ITL\np50", "lat.\np50", "lat.\np95", "in/out\ntokens" })
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }

        foreach (var l in levels)
        {
            var concurrency = l.Concurrency.ToString(CultureInfo.InvariantCulture);
            table.AddRow(
                l.Concurrency == profileConcurrency ? $"[green]{concurrency} *[/]" : concurrency,
                l.Requests.ToString(CultureInfo.InvariantCulture),
                l.Errors == 0 ? "0" : $"[red]{l.Errors.ToString(CultureInfo.InvariantCulture)}[/]",
                l.OutputTokensPerSecond.ToString("0.0", CultureInfo.InvariantCulture),
                Ms(l.TtftP50Ms),
                Ms(l.TtftP95Ms),
                l.InterTokenLatencyP50Ms?.ToString("0.0", CultureInfo.InvariantCulture) ?? "-",
                Ms(l.LatencyP50Ms),
                Ms(l.LatencyP95Ms),
                $"{l.MeanInputTokens?.ToString("0", CultureInfo.InvariantCulture) ?? "?"}/{l.MeanOutputTokens?.ToString("0", CultureInfo.InvariantCulture) ?? "-"}");
        }

        return table;
    }

    private static string Ms(double? value) => value?.ToString("0", CultureInfo.InvariantCulture) ?? "-";
}
