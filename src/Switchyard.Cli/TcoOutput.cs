using System.Globalization;
using Spectre.Console;
using Switchyard.Cli.Reports;

namespace Switchyard.Cli;

/// <summary>Tables and the HTML report for <c>tco</c>.</summary>
internal static class TcoOutput
{
    public static void Print(TcoResult result)
    {
        var t = result.Replay.Traffic;
        AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{t.Requests:N0} requests over {(t.Days >= 2 ? $"{t.Days:0.#} days" : $"{t.Days * 24:0.##} hours")} ({t.RequestsPerDay:N0}/day), {t.MeanInputTokens:N0} in / {t.MeanOutputTokens:N0} out tokens each, output {t.MeanOutputTokensPerSecond:0.##} tok/s mean, {t.PeakOutputTokensPerSecond:0.##} peak ({t.PeakToMean:0.#}× mean)")));
        var options = new Table().Title("What this traffic cost, and would have cost");
        options.AddColumns("option", "window $", "per month $", "how");
        foreach (var o in result.Replay.Options)
        {
            options.AddRow(Markup.Escape(o.Option), Money(o.Cost), Money(o.MonthlyCost), Markup.Escape(o.Detail));
        }

        AnsiConsole.Write(options);
        if (result.Crossovers.Count > 0)
        {
            var table = new Table().Title("Break-even: where self-hosting costs what hosting does");
            table.AddColumns("hosted", "$/request", "$/Mtok out (mix)", "break-even utilization", "break-even requests/month");
            foreach (var c in result.Crossovers)
            {
                table.AddRow(Markup.Escape(c.HostedModel), c.HostedCostPerRequest.ToString("0.######", CultureInfo.InvariantCulture), Money(c.HostedPerMillionOutputTokens), Pct(c.BreakEvenUtilization), c.BreakEvenMonthlyRequests is { } v ? v.ToString("N0", CultureInfo.InvariantCulture) : "never");
            }

            AnsiConsole.Write(table);
        }

        foreach (var s in result.Sensitivity)
        {
            var table = new Table().Title("Sensitivity: " + s.Parameter);
            table.AddColumns("factor", "value", "self-hosted $/month", "hosted $/month", "replicas", "utilization", "cheaper");
            foreach (var r in s.Rows)
            {
                table.AddRow(r.Factor.ToString("0.##×", CultureInfo.InvariantCulture), r.Value.ToString("0.####", CultureInfo.InvariantCulture), Money(r.SelfHostedMonthly), Money(r.HostedMonthly), r.Replicas.ToString(CultureInfo.InvariantCulture), Pct(r.Utilization), r.Cheaper);
            }

            AnsiConsole.Write(table);
        }

        foreach (var a in result.Replay.Assumptions)
        {
            AnsiConsole.MarkupLine("[grey]" + Markup.Escape(a) + "[/]");
        }
    }

    public static HtmlReport Html(TcoResult result, string? pngPath)
    {
        var t = result.Replay.Traffic;
        var report = new HtmlReport("Switchyard: total cost of ownership")
            .Paragraph(string.Create(CultureInfo.InvariantCulture, $"{t.Requests:N0} requests from {t.From:yyyy-MM-dd HH:mm} to {t.To:yyyy-MM-dd HH:mm} UTC; {t.MeanInputTokens:N0} input and {t.MeanOutputTokens:N0} output tokens per request; peak {t.PeakToMean:0.#}× the mean output rate."))
            .Heading("What this traffic cost, and would have cost")
            .Table(["option", "window $", "per month $", "how"], result.Replay.Options.Select(o => (IReadOnlyList<string>)[o.Option, Money(o.Cost), Money(o.MonthlyCost), o.Detail]));
        if (result.Crossovers.Count > 0)
        {
            report.Heading("Break-even")
                .Table(["hosted", "$/request", "break-even utilization", "break-even requests/month"], result.Crossovers.Select(c => (IReadOnlyList<string>)[c.HostedModel, c.HostedCostPerRequest.ToString("0.######", CultureInfo.InvariantCulture), Pct(c.BreakEvenUtilization), c.BreakEvenMonthlyRequests is { } v ? v.ToString("N0", CultureInfo.InvariantCulture) : "never"]));
        }

        if (pngPath is not null)
        {
            report.Image(pngPath, "monthly cost vs volume");
        }

        foreach (var s in result.Sensitivity)
        {
            report.Heading("Sensitivity: " + s.Parameter)
                .Table(["factor", "value", "self-hosted $/month", "hosted $/month", "replicas", "utilization", "cheaper"], s.Rows.Select(r => (IReadOnlyList<string>)[r.Factor.ToString("0.##", CultureInfo.InvariantCulture), r.Value.ToString("0.####", CultureInfo.InvariantCulture), Money(r.SelfHostedMonthly), Money(r.HostedMonthly), r.Replicas.ToString(CultureInfo.InvariantCulture), Pct(r.Utilization), r.Cheaper]));
        }

        return report.Heading("Assumptions").List(result.Replay.Assumptions);
    }

    internal static string Money(decimal value) => value.ToString(value < 10 ? "0.####" : "N2", CultureInfo.InvariantCulture);

    internal static string Money(decimal? value) => value is { } v ? Money(v) : "n/a";

    internal static string Pct(double? value) => value is { } v ? v.ToString("P1", CultureInfo.InvariantCulture) : "n/a";
}
