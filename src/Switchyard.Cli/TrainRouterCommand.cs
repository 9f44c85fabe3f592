using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Switchyard.Evaluation.Simulation;
using Switchyard.Embeddings;
using Switchyard.Evaluation;
using Switchyard.Routing.Difficulty;
using Switchyard.Routing.Learners;

namespace Switchyard.Cli;

/// <summary>
/// <c>switchyard train-router</c>: on every prompt of an outcome source, cross-validates the length baseline and the
/// embedding learners for each cheaper model against the strongest, keeps the one with the best out-of-fold APGR (never
/// one below the baseline), prints the tables and writes the router file <c>serve</c> loads.
/// </summary>
/// <remarks>Exit codes: 0 written; 1 the file could not be written; 2 bad arguments or data (one line on stderr).</remarks>
internal static class TrainRouterCommand
{
    public static Command Create()
    {
        var outcomes = new Option<string>("--outcomes") { Description = "Outcome file (our JSONL, e.g. from 'switchyard eval') or a RouteLLM benchmark folder.", Required = true };
        var models = new Option<string?>("--models") { Description = "Models cheapest first, strongest last, comma-separated (default: --weak and --strong, or the two models in the data)." };
        var weak = new Option<string?>("--weak") { Description = "The cheaper model (for a two-model router)." };
        var strong = new Option<string?>("--strong") { Description = "The stronger model (for a two-model router)." };
        var output = new Option<string>("--out") { Description = "Where to write the router.", DefaultValueFactory = _ => "router.json" };
        var seed = new Option<int>("--seed") { Description = "Seed for the cross-validation folds.", DefaultValueFactory = _ => 1 };
        var folds = new Option<int>("--folds") { Description = "Cross-validation folds (2-20); prompts of one id or conversation share a fold.", DefaultValueFactory = _ => 5 };
        var maxTokens = new Option<int>("--max-tokens") { Description = "Tokens of the last user message the embedder reads (2-512; serve embeds the same). 128 halves a long prompt's embedding time (about 20 ms instead of 40 on one core).", DefaultValueFactory = _ => MiniLmEmbedder.DefaultMaxTokens };
        var noEmbeddings = new Option<bool>("--no-embeddings") { Description = "Do not embed prompts: only the length baseline is trained (fast, no embedder at serve time)." };
        var ngram = new Option<bool>("--ngram") { Description = "Write the older hashed n-gram logistic router (switchyard.difficulty-router/1) instead of cross-validating learners." };
        var command = new Command("train-router", "Train a difficulty router on recorded outcomes (all prompts): cross-validate learners per cheaper model, keep the best (never below the length baseline), write it for Routes:<name>:Strategy:Router.")
        {
            outcomes, models, weak, strong, output, seed, folds, maxTokens, noEmbeddings, ngram,
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

            if (parse.GetValue(ngram))
            {
                return TrainNgram(set, order, path, parse.GetValue(seed));
            }

            var settings = new LearnerSelectionSettings(parse.GetValue(folds), parse.GetValue(seed));
            try
            {
                settings.Validate();
            }
            catch (ArgumentOutOfRangeException ex)
            {
                Console.Error.WriteLine($"--folds: {ex.Message.Split(" (Parameter", 2)[0]}");
                return 2;
            }

            if (parse.GetValue(maxTokens) is < 2 or > MiniLmEmbedder.ModelMaxTokens)
            {
                Console.Error.WriteLine($"--max-tokens must be between 2 and {MiniLmEmbedder.ModelMaxTokens} (the model's positions).");
                return 2;
            }

            MiniLmEmbedder? model = null;
            LearnedRouterModel router;
            try
            {
                if (!parse.GetValue(noEmbeddings))
                {
                    try
                    {
                        model = new MiniLmEmbedder(new MiniLmEmbedderOptions { IntraOpThreads = Math.Max(1, Environment.ProcessorCount), MaxTokens = parse.GetValue(maxTokens) });
                    }
                    catch (Exception ex) when (ex is IOException or InvalidOperationException)
                    {
                        Console.Error.WriteLine($"Cannot load the sentence embedder: {SimulateCommand.OneLine(ex)} (use --no-embeddings to train the length baseline only).");
                        return 2;
                    }
                }

                var info = model is null ? null : new LearnedRouterEmbedder("all-MiniLM-L6-v2", model.Dimensions, model.MaxTokens);
                router = LearnedRouterTrainer.Train(set.Records, order, model, info, settings, progress: new SyncProgress(), source: set.Name);
            }
            catch (ArgumentException ex)
            {
                Console.Error.WriteLine(SimulateCommand.OneLine(ex));
                return 2;
            }
            finally
            {
                model?.Dispose();
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

            PrintTables(router);
            Console.WriteLine($"router written to {Path.GetFullPath(path)} (models cheapest first: {string.Join(", ", router.Models)})");
            return 0;
        });
        return command;
    }

    private static void PrintTables(LearnedRouterModel router)
    {
        foreach (var pair in router.Pairs)
        {
            var result = pair.Selection;
            var table = new Table().Title(Markup.Escape($"{pair.Weak} vs {pair.Strong}: {result.Prompts} prompts, {result.Folds}-fold grouped cross-validation (out-of-fold)"));
            table.AddColumns("learner", "APGR", "CPT(50%)", "AIQ", "fold APGR", "Brier", "fitted");
            foreach (var row in result.Table)
            {
                var mark = row.Learner == result.Chosen ? "* " : "  ";
                table.AddRow(
                    Markup.Escape(mark + row.Learner),
                    F(row.Apgr),
                    F(row.Cpt50),
                    F(row.Aiq),
                    $"{F(row.FoldApgrMean)} ± {F(row.FoldApgrSd)}",
                    F(row.Brier),
                    Markup.Escape(string.Join("; ", row.Fitted.Distinct())));
            }

            table.AddRow("  random", F(result.RandomApgr), "", "", "", "", "");
            table.AddRow("  oracle", F(result.OracleApgr), "", "", "", "", "");
            AnsiConsole.Write(table);
            Console.WriteLine(result.FellBackToBaseline
                ? $"{pair.Weak}: shipping the length baseline: {result.Reason}."
                : $"{pair.Weak}: chose {result.Chosen} ({result.Reason}).");
        }

        var set = router.CalibrationFor(router.Models);
        var unit = router.Calibration.Costs is null ? "cost (strongest = 1)" : "mean $";
        var targets = new Table().Title("Shared threshold on the out-of-fold predictions, per target");
        targets.AddColumns("target", "threshold", "to strongest", "PGR", "quality", unit);
        foreach (var t in new[]
        {
            RouteThresholdCalibrator.ForStrongShare(set, 0.2), RouteThresholdCalibrator.ForStrongShare(set, 0.5),
            RouteThresholdCalibrator.ForQuality(set, 0.8), RouteThresholdCalibrator.ForQuality(set, 0.95),
        })
        {
            targets.AddRow(t.Target, F(t.Threshold), t.StrongShare.ToString("P1", CultureInfo.InvariantCulture), F(t.Pgr), F(t.Quality ?? double.NaN), (t.MeanCost ?? double.NaN).ToString("0.#####", CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(targets);
    }

    private static int TrainNgram(OutcomeSet set, List<string> order, string path, int seed)
    {
        DifficultyRouterModel router;
        try
        {
            router = DifficultyTrainer.TrainRouter(set.Records, order, training: new TrainingSettings(Seed: seed), source: set.Name);
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
                table.AddRow(Markup.Escape(pair.Weak), pair.Examples.ToString(CultureInfo.InvariantCulture), pair.GoodEnoughRate.ToString("P0", CultureInfo.InvariantCulture), t.Target, F(t.Threshold), t.StrongShare.ToString("P1", CultureInfo.InvariantCulture), F(t.Pgr));
            }
        }

        AnsiConsole.Write(table);
        Console.WriteLine($"router written to {Path.GetFullPath(path)} (strongest: {order[^1]})");
        return 0;
    }

    private static string F(double value) => double.IsNaN(value) ? "-" : value.ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary>Writes progress lines to stderr as they come (not on the thread pool, as <see cref="Progress{T}"/> would).</summary>
    private sealed class SyncProgress : IProgress<string>
    {
        public void Report(string value) => Console.Error.WriteLine(value);
    }
}
