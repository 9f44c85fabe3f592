using System.Globalization;
using System.Text;
using Spectre.Console;
using Switchyard.Embeddings;
using Switchyard.Evaluation;
using Switchyard.Routing.Learners;
using Switchyard.Routing.Learners.Simulation;

namespace Switchyard.Cli;

/// <summary>
/// <c>switchyard simulate --models A,B,C…</c>: an N-model learned router (one shared threshold, the cheapest model
/// whose P(good enough) clears it) against every single model, the length-only router, random mixtures and the
/// oracle, as cost–quality curves with RouterBench's AIQ, once per seed.
/// </summary>
internal static class SimulateModels
{
    /// <summary>Parses <c>MODEL=IN/OUT[,…]</c> (US dollars per million input/output tokens; one number means both).</summary>
    internal static bool TryParsePrices(string spec, out Dictionary<string, ListPrice> prices, out string problem)
    {
        prices = new Dictionary<string, ListPrice>(StringComparer.Ordinal);
        problem = string.Empty;
        foreach (var part in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.LastIndexOf('=');
            var numbers = eq > 0 ? part[(eq + 1)..].Split('/') : [];
            var parsed = numbers.Select(n => double.TryParse(n, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= 0 && double.IsFinite(v) ? v : double.NaN).ToArray();
            if (eq <= 0 || numbers.Length is < 1 or > 2 || parsed.Any(double.IsNaN))
            {
                problem = $"--prices: '{part}' is not MODEL=INPUT/OUTPUT (US dollars per million tokens, e.g. gpt-4o=2.5/10).";
                return false;
            }

            prices[part[..eq].Trim()] = new ListPrice(parsed[0], parsed[^1]);
        }

        return true;
    }

    /// <summary>Runs the N-model simulation for every seed and prints the table; returns the exit code.</summary>
    public static int Run(
        OutcomeSet all,
        IReadOnlyList<string> models,
        string? pricesSpec,
        IReadOnlyList<int> seeds,
        Func<int, (IReadOnlyList<OutcomeRecord> Train, IReadOnlyList<OutcomeRecord> Test)> split,
        ITextEmbedder? embedder,
        string? jsonPath)
    {
        var unknown = models.Where(m => !all.Models.Contains(m)).ToList();
        if (models.Count < 2 || models.Distinct(StringComparer.Ordinal).Count() != models.Count || unknown.Count > 0)
        {
            Console.Error.WriteLine(unknown.Count > 0
                ? $"--models: no outcomes for {string.Join(", ", unknown.Select(m => $"'{m}'"))} in {all.Name} (models: {string.Join(", ", all.Models)})."
                : "--models needs at least two different models, cheapest first, the strongest last.");
            return 2;
        }

        var recorded = all.Records.All(r => models.All(m => !r.Outcomes.TryGetValue(m, out var o) || o.Cost is not null));
        Dictionary<string, ListPrice> prices = [];
        if (pricesSpec is not null && !TryParsePrices(pricesSpec, out prices, out var problem))
        {
            Console.Error.WriteLine(problem);
            return 2;
        }

        var unpriced = models.Where(m => !prices.ContainsKey(m)).ToList();
        if (!recorded && unpriced.Count > 0)
        {
            Console.Error.WriteLine($"{all.Name} records no costs; give --prices for {string.Join(", ", unpriced)} (MODEL=INPUT/OUTPUT in US dollars per million tokens).");
            return 2;
        }

        var cost = ListPrice.CostFunction(prices);
        var results = new List<MultiModelSimulationResult>();
        foreach (var seed in seeds)
        {
            var (train, test) = split(seed);
            try
            {
                results.Add(MultiModelSimulation.Run(train, test, models, cost, embedder, seed: seed, progress: new LineProgress()));
            }
            catch (ArgumentException ex)
            {
                Console.Error.WriteLine((seeds.Count > 1 ? $"seed {seed}: " : "") + SimulateCommand.OneLine(ex));
                return 2;
            }
        }

        Print(all.Name, results, recorded ? "recorded costs" : "list prices × (characters/4 input + 256 output tokens)");
        if (jsonPath is not null)
        {
            try
            {
                var json = new StringBuilder("{\"runs\": [");
                json.AppendJoin(",", results.Select(r => r.ToJson()));
                json.Append("]}");
                File.WriteAllText(jsonPath, json.ToString());
                Console.WriteLine($"metrics written to {Path.GetFullPath(jsonPath)}");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"Cannot write the output: {SimulateCommand.OneLine(ex)}");
                return 1;
            }
        }

        return 0;
    }

    private static void Print(string source, List<MultiModelSimulationResult> runs, string costNote)
    {
        var first = runs[0];
        var many = runs.Count > 1;
        Console.WriteLine($"{source}: {first.Models.Count} models cheapest first ({string.Join(", ", first.Models)}); {first.TestPrompts} held-out prompts, trained on {first.TrainPrompts}; seeds {string.Join(",", runs.Select(r => r.Seed))}; cost = {costNote}");
        var table = new Table().Title("AIQ: area under the cost–quality hull over the single models' cost range (RouterBench)");
        table.AddColumns("router / model", "AIQ", "mean cost $", "quality", "learned at its cost", "length at its cost");
        foreach (var curve in first.All)
        {
            var aiq = Cell(runs.Select(r => r[curve.Name].Aiq), many);
            if (curve.Kind == RouterCurve.ModelKind)
            {
                var comparisons = runs.Select(r => r.Comparisons.First(c => c.Model == curve.Name)).ToList();
                table.AddRow(
                    Markup.Escape(curve.Name),
                    aiq,
                    comparisons.Average(c => c.Cost).ToString("0.#######", CultureInfo.InvariantCulture),
                    Cell(comparisons.Select(c => c.Quality), many),
                    Cell(comparisons.Select(c => c.LearnedQuality), many),
                    Cell(comparisons.Select(c => c.LengthQuality), many));
            }
            else
            {
                table.AddRow(Markup.Escape(curve.Name), aiq, "", "", "", "");
            }
        }

        AnsiConsole.Write(table);
        var beats = runs.Count(r => r.LearnedBeatsEverySingleModel);
        Console.WriteLine($"learned AIQ above every single model's on {beats} of {runs.Count} seed{(many ? "s" : "")}; learners chosen: {string.Join("; ", first.Pairs.Select(p => $"{p.Weak} {p.Chosen}"))}{(many ? $" (seed {first.Seed})" : "")}");
    }

    private static string Cell(IEnumerable<double> values, bool many)
    {
        var list = values.Where(v => !double.IsNaN(v)).ToList();
        if (list.Count == 0)
        {
            return "-";
        }

        var mean = list.Average().ToString("0.000", CultureInfo.InvariantCulture);
        return many ? $"{mean} ({list.Min().ToString("0.000", CultureInfo.InvariantCulture)}–{list.Max().ToString("0.000", CultureInfo.InvariantCulture)})" : mean;
    }

    private sealed class LineProgress : IProgress<string>
    {
        public void Report(string value) => Console.WriteLine(value);
    }
}
