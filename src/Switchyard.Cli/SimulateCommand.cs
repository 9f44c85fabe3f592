using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Switchyard.Evaluation;
using Switchyard.Evaluation.Simulation;

namespace Switchyard.Cli;

/// <summary>
/// <c>switchyard simulate</c>: trains the learned difficulty router on recorded outcomes and evaluates it on held-out
/// prompts beside the random, oracle and constant routers (APGR, CPT, AIQ), with a table, JSON and a PNG chart.
/// </summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var outcomes = new Option<string?>("--outcomes") { Description = "Outcome file (our JSONL) or a RouteLLM benchmark folder (data/routellm-evals/mmlu, gsm8k, mt_bench); split into train and test." };
        var train = new Option<string?>("--train") { Description = "Train on this outcome source instead of splitting (use with --test)." };
        var test = new Option<string?>("--test") { Description = "Evaluate on this outcome source (use with --train)." };
        var weak = new Option<string?>("--weak") { Description = "The cheaper model (default: of two models, the one with the lower mean cost, else the lower mean score)." };
        var strong = new Option<string?>("--strong") { Description = "The stronger model (default: the other one)." };
        var fraction = new Option<double>("--test-fraction") { Description = "Share of distinct prompts held out for testing when splitting one source.", DefaultValueFactory = _ => 0.3 };
        var seed = new Option<int>("--seed") { Description = "Seed for the split, training and the random router.", DefaultValueFactory = _ => 1 };
        var json = new Option<string?>("--json") { Description = "Write the metrics as JSON to this file." };
        var png = new Option<string?>("--png") { Description = "Write the quality-vs-cost chart here.", DefaultValueFactory = _ => "simulate.png" };
        var save = new Option<string?>("--save-router") { Description = "Write the router trained on the training prompts here (load it with Routes:<name>:Strategy:Router)." };
        var command = new Command("simulate", "Train a difficulty router on recorded outcomes and compare it on held-out prompts with random, oracle and constant routers (APGR, CPT, AIQ).")
        {
            outcomes, train, test, weak, strong, fraction, seed, json, png, save,
        };
        command.SetAction(parse =>
        {
            CliConsole.WidenWhenRedirected();

            var source = parse.GetValue(outcomes);
            var trainPath = parse.GetValue(train);
            var testPath = parse.GetValue(test);
            if (source is null == (trainPath is null || testPath is null) || (trainPath is null != (testPath is null)))
            {
                Console.Error.WriteLine("Give --outcomes FILE (split into train and test) or both --train FILE and --test FILE.");
                return 2;
            }

            var testFraction = parse.GetValue(fraction);
            if (!(testFraction is > 0 and < 1))
            {
                Console.Error.WriteLine("--test-fraction must be between 0 and 1 (exclusive).");
                return 2;
            }

            IReadOnlyList<OutcomeRecord> trainRows, testRows;
            OutcomeSet first;
            string name;
            try
            {
                if (source is not null)
                {
                    first = OutcomeSources.Load(source);
                    (trainRows, testRows) = OutcomeSplit.Split(first.Records, testFraction, parse.GetValue(seed));
                    name = first.Name;
                }
                else
                {
                    first = OutcomeSources.Load(trainPath!);
                    var second = OutcomeSources.Load(testPath!);
                    (trainRows, testRows) = (first.Records, second.Records);
                    name = $"{first.Name} → {second.Name}";
                }
            }
            catch (Exception ex) when (ex is IOException or FormatException or UnauthorizedAccessException or ArgumentException)
            {
                Console.Error.WriteLine(ex.Message);
                return 2;
            }

            if (!ResolveModels(first, parse.GetValue(weak), parse.GetValue(strong), out var weakModel, out var strongModel))
            {
                return 2;
            }

            var seedValue = parse.GetValue(seed);
            SimulationReport report;
            Routing.Difficulty.DifficultyRouterModel router;
            try
            {
                (report, router) = RoutingSimulation.Run(trainRows, testRows, new SimulationSettings(weakModel, strongModel, seedValue), name);
            }
            catch (ArgumentException ex)
            {
                Console.Error.WriteLine(ex.Message);
                return 2;
            }

            Print(report);
            if (parse.GetValue(json) is { } jsonPath)
            {
                File.WriteAllText(jsonPath, JsonSerializer.Serialize(report, CliJsonContext.Default.SimulationReport));
                Console.WriteLine($"metrics written to {Path.GetFullPath(jsonPath)}");
            }

            if (parse.GetValue(png) is { Length: > 0 } pngPath)
            {
                Charts.QualityCostChart.Save(report, pngPath);
                Console.WriteLine($"chart written to {Path.GetFullPath(pngPath)}");
            }

            if (parse.GetValue(save) is { } routerPath)
            {
                router.Save(routerPath);
                Console.WriteLine($"router written to {Path.GetFullPath(routerPath)}");
            }

            return 0;
        });
        return command;
    }

    /// <summary>Picks the weak and strong model, defaulting from a two-model outcome set; prints why on failure.</summary>
    internal static bool ResolveModels(OutcomeSet set, string? weak, string? strong, out string weakModel, out string strongModel)
    {
        weakModel = weak ?? string.Empty;
        strongModel = strong ?? string.Empty;
        if (weak is null || strong is null)
        {
            if (set.Models.Count != 2)
            {
                Console.Error.WriteLine($"The outcomes have {set.Models.Count} models ({string.Join(", ", set.Models)}): name them with --weak and --strong.");
                return false;
            }

            if (weak is null && strong is null)
            {
                // The cheaper by mean cost when costs are known, else the one that scores lower.
                var costs = set.Models.Select(m => MeanCost(set, m)).ToList();
                var firstIsWeak = costs[0] is { } a && costs[1] is { } b ? a <= b : MeanScore(set, set.Models[0]) <= MeanScore(set, set.Models[1]);
                (weakModel, strongModel) = firstIsWeak ? (set.Models[0], set.Models[1]) : (set.Models[1], set.Models[0]);
            }
            else
            {
                var given = weak ?? strong!;
                var other = set.Models.FirstOrDefault(m => m != given) ?? given;
                (weakModel, strongModel) = weak is null ? (other, given) : (given, other);
            }

            Console.WriteLine($"weak: {weakModel}, strong: {strongModel}");
        }

        foreach (var model in new[] { weakModel, strongModel })
        {
            if (!set.Models.Contains(model))
            {
                Console.Error.WriteLine($"'{model}' has no outcomes in {set.Name} (models: {string.Join(", ", set.Models)}).");
                return false;
            }
        }

        if (weakModel == strongModel)
        {
            Console.Error.WriteLine("--weak and --strong must name different models.");
            return false;
        }

        return true;
    }

    private static double? MeanCost(OutcomeSet set, string model)
    {
        var costs = set.Records.Select(r => r.Outcomes.TryGetValue(model, out var o) ? o.Cost : null).Where(c => c is not null).ToList();
        return costs.Count == 0 ? null : (double)costs.Average(c => c!.Value);
    }

    private static double MeanScore(OutcomeSet set, string model) =>
        set.Records.Select(r => r.Outcomes.TryGetValue(model, out var o) ? o.Score : double.NaN).Where(s => !double.IsNaN(s)).DefaultIfEmpty(0).Average();

    private static void Print(SimulationReport report)
    {
        var table = new Table().Title($"{report.Source}: {report.TestPrompts} held-out prompts, trained on {report.TrainPrompts}");
        table.AddColumns("router", "APGR", "CPT(20%)", "CPT(50%)", "CPT(80%)", "AIQ");
        foreach (var (name, e) in report.Routers)
        {
            table.AddRow(name, F(e.Apgr), Pct(e.Cpt20), Pct(e.Cpt50), Pct(e.Cpt80), F(e.Aiq));
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(CultureInfo.InvariantCulture, "[grey]mean quality: weak {0} {1:0.000}, strong {2} {3:0.000}; CPT = share of calls to the strong model needed for that share of the quality gap[/]", Markup.Escape(report.Weak), report.WeakMean, Markup.Escape(report.Strong), report.StrongMean);
    }

    private static string F(double v) => double.IsNaN(v) ? "n/a" : v.ToString("0.000", CultureInfo.InvariantCulture);

    private static string Pct(double v) => double.IsNaN(v) ? "n/a" : (v * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";
}
