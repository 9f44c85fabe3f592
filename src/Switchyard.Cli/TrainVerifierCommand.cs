using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Switchyard.Embeddings;
using Switchyard.Evaluation;
using Switchyard.Routing.Learners.Verification;

namespace Switchyard.Cli;

/// <summary>
/// <c>switchyard train-verifier</c>: fits the learned cascade verifier on every recorded answer of the cheap model
/// (<see cref="ModelOutcome.Response"/>), writes the file a <c>cascade</c> route with <c>Verifier: learned</c> loads,
/// and prints what the same records say it is worth: the out-of-fold figures of <see cref="CascadeSimulation.Run"/>
/// beside answer-length, prompt-length, random and oracle, and the thresholds a few targets calibrate to.
/// </summary>
/// <remarks>Exit codes: 0 written; 1 the file could not be written; 2 bad arguments or data (one line on stderr).</remarks>
internal static class TrainVerifierCommand
{
    private const string EmbedderName = "all-MiniLM-L6-v2";

    public static Command Create()
    {
        var outcomes = new Option<string>("--outcomes") { Description = "Outcome file (our JSONL, e.g. from 'switchyard eval') or a RouteLLM benchmark folder, with the cheap model's answers (RouteLLM's gsm8k has them; mmlu does not).", Required = true };
        var weak = new Option<string?>("--weak") { Description = "The cheap model whose answers are checked (default: the cheaper of the two models in the data)." };
        var strong = new Option<string?>("--strong") { Description = "The model a rejected answer escalates to (default: the other of the two models in the data)." };
        var output = new Option<string>("--out") { Description = "Where to write the verifier.", DefaultValueFactory = _ => "verifier.json" };
        var folds = new Option<int>("--folds") { Description = "Cross-validation folds (2-20) for the calibration predictions and the printed figures; prompts of one id or conversation share a fold.", DefaultValueFactory = _ => 5 };
        var seed = new Option<int>("--seed") { Description = "Seed for the cross-validation folds and the random baseline.", DefaultValueFactory = _ => 1 };
        var noEmbeddings = new Option<bool>("--no-embeddings") { Description = "Do not embed prompts: the verifier reads the answer features only (fast, no embedder at serve time)." };
        var command = new Command("train-verifier", "Train the learned cascade verifier on recorded answers of the cheap model: write it for Routes:<name>:Strategy:VerifierModel (Verifier: learned) and print its out-of-fold cascade figures.")
        {
            outcomes, weak, strong, output, folds, seed, noEmbeddings,
        };
        command.SetAction(parse =>
        {
            CliConsole.WidenWhenRedirected();
            if (parse.GetValue(outcomes) is not { Length: > 0 } source)
            {
                Console.Error.WriteLine("Give --outcomes FILE: an outcome file or a RouteLLM benchmark folder with the cheap model's answers.");
                return 2;
            }

            var foldCount = parse.GetValue(folds);
            if (foldCount is < 2 or > 20)
            {
                Console.Error.WriteLine($"--folds: must be from 2 to 20, not {foldCount}.");
                return 2;
            }

            var path = parse.GetValue(output);
            if (string.IsNullOrEmpty(path))
            {
                Console.Error.WriteLine("--out needs a file name.");
                return 2;
            }

            if (!SimulateCommand.TryLoad("--outcomes", source, out var set)
                || !SimulateCommand.ResolveModels(set, parse.GetValue(weak), parse.GetValue(strong), out var w, out var s))
            {
                return 2;
            }

            var examples = VerifierExample.FromRecords(set.Records, w, s);
            if (examples.Count == 0)
            {
                Console.Error.WriteLine($"No outcome of '{w}' in {set.Name} carries its answer text (\"response\"): the learned verifier reads the cheap model's answers (RouteLLM's gsm8k has them, mmlu does not; 'switchyard eval' records them).");
                return 2;
            }

            if (!SimulateCommand.PrepareOutput("--out", path))
            {
                return 2;
            }

            var settings = new VerifierTrainerSettings { TuningFolds = foldCount, Seed = parse.GetValue(seed) };
            MiniLmEmbedder? model = null;
            VerifierModel verifier;
            CascadeSimulationResult result;
            try
            {
                if (!parse.GetValue(noEmbeddings))
                {
                    try
                    {
                        model = new MiniLmEmbedder(new MiniLmEmbedderOptions { IntraOpThreads = Math.Max(1, Environment.ProcessorCount) });
                    }
                    catch (Exception ex) when (ex is IOException or InvalidOperationException)
                    {
                        Console.Error.WriteLine($"Cannot load the sentence embedder: {SimulateCommand.OneLine(ex)} (use --no-embeddings to train on the answer features only).");
                        return 2;
                    }
                }

                // Each prompt is embedded once, for the fit and for every fold of the cross-validation.
                var embedder = model is null ? null : new CachingEmbedder(model, Math.Max(1, examples.Count));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{examples.Count} of {set.Records.Count} prompts have outcomes of both models and the answer of {w}"));
                if (embedder is not null)
                {
                    Console.WriteLine($"embedding {examples.Count} prompts ({EmbedderName})");
                }

                Console.WriteLine($"fitting the verifier on {examples.Count} answers ({foldCount}-fold inner cross-validation for the penalty and the calibration predictions)");
                verifier = new VerifierTrainer(settings).Fit(examples, w, s, embedder);
                Console.WriteLine($"cross-validating cascades ({foldCount} folds, seed {settings.Seed}): learned, answer length, prompt length, random, oracle");
                result = CascadeSimulation.Run(set.Records, w, s, embedder, foldCount, settings.Seed, settings: settings);
            }
            catch (ArgumentException ex)
            {
                Console.Error.WriteLine($"{examples.Count} prompts with answers of '{w}': {SimulateCommand.OneLine(ex)}");
                return 2;
            }
            finally
            {
                model?.Dispose();
            }

            try
            {
                VerifierModelJson.Save(verifier, path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"Cannot write the verifier: {SimulateCommand.OneLine(ex)}");
                return 1;
            }

            PrintTables(result, verifier);
            Console.WriteLine($"verifier written to {Path.GetFullPath(path)} ({verifier.Description})");
            Console.WriteLine("use it in a cascade route: \"Strategy\": { \"Kind\": \"cascade\", \"Verifier\": \"learned\", \"VerifierModel\": \"" + Path.GetFileName(path) + "\", \"StrongShare\": 0.3 } (or \"QualityTarget\": 0.9)");
            return 0;
        });
        return command;
    }

    private static void PrintTables(CascadeSimulationResult result, VerifierModel verifier)
    {
        var c = CultureInfo.InvariantCulture;
        var features = result.EmbeddingDimensions > 0 ? $"answer features + {result.EmbeddingDimensions}-d prompt embedding" : "answer features only";
        var table = new Table().Title(Markup.Escape($"{result.Weak} answers checked, escalated to {result.Strong}: {result.Prompts} prompts, {result.Folds}-fold grouped cross-validation (out-of-fold), {features}"));
        table.AddColumns("verifier", "pays cheap call", "APGR", "CPT(50%)", "AIQ", "AIQ (cost)", "cost at CPT(50%)");
        foreach (var f in result.All)
        {
            table.AddRow(
                Markup.Escape(f.Verifier),
                f.PaysCheapCall ? "yes" : "no",
                F(f.Apgr),
                F(f.Cpt50),
                F(f.Aiq),
                F(f.CostAiq),
                double.IsNaN(f.CostAtCpt50) ? "-" : f.CostAtCpt50.ToString("0.#####", c));
        }

        AnsiConsole.Write(table);
        Console.WriteLine(string.Create(c, $"weak answer good enough on {result.GoodShare:P1} of prompts (mean score weak {result.WeakMean:0.000}, strong {result.StrongMean:0.000}); learned AUC {result.LearnedAuc:0.000}, log-loss {result.LearnedLogLoss:0.000}; answer-length AUC {result.AnswerLengthAuc:0.000}"));
        var unit = result.CostUnit == "usd"
            ? string.Create(c, $"mean $ per prompt from the recorded costs (weak call {result.WeakCostMean:0.######}, strong call {result.StrongCostMean:0.######})")
            : string.Create(c, $"relative (weak call 1, strong call {result.StrongCostRatio:0.##}; the data recorded no costs)");
        Console.WriteLine($"cost: {unit}. A cascade pays the cheap call on every prompt and the strong call on each escalation; prompt-length is a router that decides before calling (one call per prompt).");

        var targets = new Table().Title("Threshold on P(good) per target, on the saved verifier's out-of-fold calibration predictions (escalate below it)");
        targets.AddColumns("target", "threshold", "escalated", "PGR");
        foreach (var t in new[]
        {
            verifier.ThresholdForStrongShare(0.2), verifier.ThresholdForStrongShare(0.5),
            verifier.ThresholdForQuality(0.8), verifier.ThresholdForQuality(0.95),
        })
        {
            targets.AddRow(t.Target, F(t.Threshold), t.StrongShare.ToString("P1", c), F(t.Pgr));
        }

        AnsiConsole.Write(targets);
    }

    private static string F(double value) => double.IsNaN(value) ? "-" : value.ToString("0.000", CultureInfo.InvariantCulture);
}
