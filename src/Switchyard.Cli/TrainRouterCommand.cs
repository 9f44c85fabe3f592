using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Switchyard.Evaluation.Simulation;
using Switchyard.Routing.Difficulty;

namespace Switchyard.Cli;

/// <summary><c>switchyard train-router</c>: trains a difficulty router on every prompt of an outcome source and writes the file <c>serve</c> loads.</summary>
internal static class TrainRouterCommand
{
    public static Command Create()
    {
        var outcomes = new Option<string>("--outcomes") { Description = "Outcome file (our JSONL, e.g. from 'switchyard eval') or a RouteLLM benchmark folder.", Required = true };
        var models = new Option<string?>("--models") { Description = "Models cheapest first, strongest last, comma-separated (default: --weak and --strong, or the two models in the data)." };
        var weak = new Option<string?>("--weak") { Description = "The cheaper model (for a two-model router)." };
        var strong = new Option<string?>("--strong") { Description = "The stronger model (for a two-model router)." };
        var output = new Option<string>("--out") { Description = "Where to write the router.", DefaultValueFactory = _ => "router.json" };
        var seed = new Option<int>("--seed") { Description = "Seed for shuffling and calibration folds.", DefaultValueFactory = _ => 1 };
        var command = new Command("train-router", "Train a difficulty router on recorded outcomes (all prompts) and write it for Routes:<name>:Strategy:Router.")
        {
            outcomes, models, weak, strong, output, seed,
        };
        command.SetAction(parse =>
        {
            CliConsole.WidenWhenRedirected();

            if (parse.GetValue(outcomes) is not { Length: > 0 } source)
            {
                Console.Error.WriteLine("Give --outcomes FILE: an outcome file or a RouteLLM benchmark folder.");
                return 2;
            }

            if (!SimulateCommand.TryLoad("--outcomes", source, out var set))
            {
                return 2;
            }

            List<string> order;
            if (parse.GetValue(models) is { } list)
            {
                order = [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
                var unknown = order.Where(m => !set.Models.Contains(m)).ToList();
                if (order.Count < 2 || unknown.Count > 0)
                {
                    Console.Error.WriteLine(order.Count < 2 ? "--models needs at least two models, cheapest first." : $"No outcomes for {string.Join(", ", unknown)} in {set.Name} (models: {string.Join(", ", set.Models)}).");
                    return 2;
                }
            }
            else if (SimulateCommand.ResolveModels(set, parse.GetValue(weak), parse.GetValue(strong), out var w, out var s))
            {
                order = [w, s];
            }
            else
            {
                return 2;
            }

            var path = parse.GetValue(output);
            if (string.IsNullOrEmpty(path))
            {
                Console.Error.WriteLine("--out needs a file name.");
                return 2;
            }

            if (!SimulateCommand.PrepareOutput("--out", path))
            {
                return 2;
            }

            DifficultyRouterModel router;
            try
            {
                router = DifficultyTrainer.TrainRouter(set.Records, order, training: new TrainingSettings(Seed: parse.GetValue(seed)), source: set.Name);
            }
            catch (ArgumentException ex)
            {
                Console.Error.WriteLine(SimulateCommand.OneLine(ex));
                return 2;
            }

            try
            {
                router.Save(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"Cannot write the router: {SimulateCommand.OneLine(ex)}");
                return 1;
            }

            var table = new Table().Title($"{set.Name}: thresholds on held-out (out-of-fold) predictions");
            table.AddColumns("cheaper model", "prompts", "good enough", "target", "threshold", "strong share", "PGR");
            foreach (var pair in router.Pairs)
            {
                foreach (var t in new[] { ThresholdCalibrator.ForStrongShare(pair.Calibration, 0.2), ThresholdCalibrator.ForStrongShare(pair.Calibration, 0.5), ThresholdCalibrator.ForQuality(pair.Calibration, 0.8), ThresholdCalibrator.ForQuality(pair.Calibration, 0.95) })
                {
                    table.AddRow(Markup.Escape(pair.Weak), pair.Examples.ToString(CultureInfo.InvariantCulture), pair.GoodEnoughRate.ToString("P0", CultureInfo.InvariantCulture), t.Target, t.Threshold.ToString("0.000", CultureInfo.InvariantCulture), t.StrongShare.ToString("P1", CultureInfo.InvariantCulture), t.Pgr.ToString("0.000", CultureInfo.InvariantCulture));
                }
            }

            AnsiConsole.Write(table);
            Console.WriteLine($"router written to {Path.GetFullPath(path)} (strongest: {order[^1]})");
            return 0;
        });
        return command;
    }
}
