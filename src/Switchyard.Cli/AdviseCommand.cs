using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Switchyard.Cli.Reports;
using Switchyard.Configuration;
using Switchyard.Economics;
using Switchyard.Gateway;

namespace Switchyard.Cli;

/// <summary>
/// <c>switchyard advise</c>: applies the self-host / hosted / hybrid decision heuristic to a workload profile and backs
/// each reason with the cost model's figures; table, JSON, cost-vs-volume chart and HTML report.
/// </summary>
internal static class AdviseCommand
{
    public static Command Create()
    {
        var workload = new Option<string>("--workload") { Description = "Workload profile (JSON: requests_per_day, peak_to_mean, input_tokens, output_tokens, data_may_leave_boundary, …, hosted_model, self_hosted{…}).", Required = true };
        var config = new Option<string?>("--config") { Description = "Configuration (price overrides in Pricing:Models)." };
        var json = new Option<string?>("--json") { Description = "Write the advice as JSON here." };
        var png = new Option<string?>("--png") { Description = "Write the cost-vs-volume chart here.", DefaultValueFactory = _ => "advise.png" };
        var html = new Option<string?>("--html") { Description = "Write an HTML report here.", DefaultValueFactory = _ => "advise.html" };
        var command = new Command("advise", "Self-host, hosted or hybrid? The decision heuristic applied to a workload, with the numbers behind each reason.")
        {
            workload, config, json, png, html,
        };
        command.SetAction(parse =>
        {
            CliConsole.WidenWhenRedirected();
            Workload w;
            HostedPrice hosted;
            Advice advice;
            try
            {
                var configFile = SwitchyardConfigLoader.ResolvePath(parse.GetValue(config), Environment.CurrentDirectory);
                var catalog = PricingCatalogs.For(configFile is null ? null : SwitchyardConfigLoader.LoadForServe(configFile, Environment.CurrentDirectory));
                var path = parse.GetValue(workload)!;
                w = EconomicsJson.ReadWorkload(path);
                if (!catalog.TryGet(w.HostedModel, out var price))
                {
                    Console.Error.WriteLine($"{path}: hosted_model '{w.HostedModel}' is not in the price catalog (known: {string.Join(", ", catalog.Entries.SelectMany(e => e.Names))}); add it under Switchyard:Pricing:Models in the config.");
                    return 2;
                }

                hosted = PricingCatalogs.ToHosted(price);
                advice = Economics.Advisor.Advise(w, hosted);
            }
            catch (Exception ex) when (ex is SwitchyardConfigurationException or EconomicsInputException or IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine(ex.Message);
                return 2;
            }

            Print(advice);
            if (parse.GetValue(json) is { } jsonPath)
            {
                File.WriteAllText(jsonPath, EconomicsJson.Serialize(advice));
                Console.WriteLine($"advice written to {Path.GetFullPath(jsonPath)}");
            }

            var pngPath = parse.GetValue(png);
            var traffic = w.RequestsPerDay is null ? null : w.ToTraffic(w.PeakToMean ?? 1);
            if (traffic is not null && !string.IsNullOrEmpty(pngPath))
            {
                Charts.CostVolumeChart.Save(pngPath, w.SelfHosted, traffic, [hosted], Crossover.FindAll(w.SelfHosted, traffic, [hosted]));
                Console.WriteLine($"chart written to {Path.GetFullPath(pngPath)}");
            }

            if (parse.GetValue(html) is { Length: > 0 } htmlPath)
            {
                var report = new HtmlReport("Switchyard: self-host, hosted or hybrid?")
                    .Heading("Verdict: " + advice.Verdict)
                    .List(advice.Reasons.Select(r => $"[{r.Lean}] {r.Text}"))
                    .Heading("Monthly cost")
                    .Table(["option", "US$ per month"], [["hosted " + advice.HostedModel, TcoOutput.Money(advice.MonthlyCost.Hosted)], ["self-hosted", TcoOutput.Money(advice.MonthlyCost.SelfHosted)], ["hybrid", TcoOutput.Money(advice.MonthlyCost.Hybrid)]]);
                if (traffic is not null && !string.IsNullOrEmpty(pngPath))
                {
                    report.Image(pngPath, "monthly cost vs volume");
                }

                report.Heading("Assumptions").List(advice.Assumptions).Save(htmlPath);
                Console.WriteLine($"HTML report written to {Path.GetFullPath(htmlPath)}");
            }

            return 0;
        });
        return command;
    }

    private static void Print(Advice advice)
    {
        AnsiConsole.MarkupLine($"[bold]verdict: {Markup.Escape(advice.Verdict)}[/]");
        var reasons = new Table().Title("Reasons");
        reasons.AddColumns("lean", "reason");
        foreach (var r in advice.Reasons)
        {
            reasons.AddRow(Markup.Escape(r.Lean), Markup.Escape(r.Text));
        }

        AnsiConsole.Write(reasons);
        var costs = new Table().Title("Monthly cost (US$)");
        costs.AddColumns("hosted " + Markup.Escape(advice.HostedModel), "self-hosted", "hybrid", "break-even utilization", "utilization", "replicas");
        costs.AddRow(TcoOutput.Money(advice.MonthlyCost.Hosted), TcoOutput.Money(advice.MonthlyCost.SelfHosted), TcoOutput.Money(advice.MonthlyCost.Hybrid), TcoOutput.Pct(advice.CrossoverUtilization), TcoOutput.Pct(advice.Utilization), advice.Replicas?.ToString(CultureInfo.InvariantCulture) ?? "n/a");
        AnsiConsole.Write(costs);
        foreach (var a in advice.Assumptions)
        {
            AnsiConsole.MarkupLine("[grey]" + Markup.Escape(a) + "[/]");
        }
    }
}
