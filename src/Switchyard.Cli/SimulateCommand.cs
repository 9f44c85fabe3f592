using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Switchyard.Evaluation;
using Switchyard.Evaluation.RouteLlm;
using Switchyard.Evaluation.Simulation;
using Switchyard.Embeddings;
using Switchyard.Routing.Difficulty;
using Switchyard.Routing.Learners;

namespace Switchyard.Cli;

/// <summary>
/// <c>switchyard simulate</c>: trains the learned difficulty router on recorded outcomes and evaluates it on held-out
/// prompts beside the length baseline and the random, oracle and constant routers (APGR, CPT, AIQ), once or once per
/// seed, with a table, JSON and a PNG chart.
/// </summary>
/// <remarks>
/// Exit codes: 0 done (warnings, such as a quality gap too small for PGR to mean much, go to stderr); 1 an output file
/// could not be written; 2 bad arguments or outcome data, each said in one line on stderr.
/// </remarks>
internal static class SimulateCommand
{
    private const int Ok = 0;
    private const int WriteFailed = 1;
    private const int BadInput = 2;

    /// <summary>The most seeds one run takes (a guard against a mistyped range).</summary>
    private const int MaxSeeds = 1000;

    /// <summary>Below this strong–weak gap in mean quality on a test set, PGR (a ratio over the gap) is mostly noise.</summary>
    private const double SmallGap = 0.05;

    public static Command Create()
    {
        var outcomes = new Option<string?>("--outcomes") { Description = "Outcome file (our JSONL) or a RouteLLM benchmark folder (data/routellm-evals/mmlu, gsm8k, mt_bench); split into train and test.", HelpName = "SRC" };
        var train = new Option<string?>("--train") { Description = "Train on this outcome source instead of splitting (use with --test).", HelpName = "SRC" };
        var test = new Option<string?>("--test") { Description = "Evaluate on this outcome source (use with --train).", HelpName = "SRC" };
        var weak = new Option<string?>("--weak") { Description = "The cheaper, weaker model (default: of two models, the one with the lower mean cost, else the lower mean score).", HelpName = "MODEL" };
        var strong = new Option<string?>("--strong") { Description = "The stronger model (default: the other one).", HelpName = "MODEL" };
        var fraction = new Option<double>("--test-fraction") { Description = "Share of distinct prompts held out for testing when splitting one source.", DefaultValueFactory = _ => 0.3, HelpName = "F" };
        var seed = new Option<int>("--seed") { Description = "Seed for the split, training and the random router.", DefaultValueFactory = _ => 1, HelpName = "N" };
        var seeds = new Option<string?>("--seeds") { Description = "Run once per seed and report each metric's mean and min-max: a range (1-5), a list (1,4,7) or one seed (3).", HelpName = "LIST" };
        var json = new Option<string?>("--json") { Description = "Write the metrics, per-seed values, held-out ids and per-prompt predictions as JSON to this file.", HelpName = "FILE" };
        var png = new Option<string?>("--png") { Description = "Write the quality-vs-cost chart here (\"\" for none).", DefaultValueFactory = _ => "simulate.png", HelpName = "FILE" };
        var save = new Option<string?>("--save-router") { Description = "Write the learned router trained on the training prompts (of the first seed) here (load it with Routes:<name>:Strategy:Router).", HelpName = "FILE" };
        var map = new Option<string?>("--map") { Description = "Read a model under another name, for cross-task runs and mixes of sources that name models differently: NAME=OTHER[,…] reads OTHER as NAME wherever it appears.", HelpName = "PAIRS" };
        var groupBy = new Option<string?>("--group-by") { Description = "Leave-group-out split: hold out whole groups — 'group' (the source's label, e.g. the MMLU subject) or 'source' (the task, with several --outcomes).", HelpName = "FIELD" };
        var modelList = new Option<string?>("--models") { Description = "N-model routing: the models cheapest first, the strongest last (comma-separated); compares cost–quality curves and AIQ with every single model (instead of --weak/--strong).", HelpName = "LIST" };
        var prices = new Option<string?>("--prices") { Description = "With --models and data without recorded costs: MODEL=INPUT/OUTPUT US dollars per million tokens, comma-separated.", HelpName = "LIST" };
        var embeddingCache = new Option<string?>("--embedding-cache") { Description = "Keep prompt embeddings in this file between runs (read when it exists, written after embedding); only hashes of the texts are stored.", HelpName = "FILE" };
        var noEmbeddings = new Option<bool>("--no-embeddings") { Description = "Do not embed prompts: the learned router can then only be the length baseline (fast)." };
        var command = new Command("simulate", "Train a difficulty router on recorded outcomes and compare it on held-out prompts with the length baseline and random, oracle and constant routers (APGR, CPT, AIQ).")
        {
            outcomes, train, test, weak, strong, fraction, seed, seeds, json, png, save, map, groupBy, noEmbeddings, modelList, prices, embeddingCache,
        };
        command.SetAction(parse =>
        {
            CliConsole.WidenWhenRedirected();
            return Run(
                new Arguments(
                    Blank(parse.GetValue(outcomes)),
                    Blank(parse.GetValue(train)),
                    Blank(parse.GetValue(test)),
                    Blank(parse.GetValue(weak)),
                    Blank(parse.GetValue(strong)),
                    parse.GetValue(fraction),
                    parse.GetValue(seed),
                    parse.GetResult(seed) is { Implicit: false },
                    parse.GetValue(seeds),
                    Blank(parse.GetValue(json)),
                    Blank(parse.GetValue(png)),
                    Blank(parse.GetValue(save)),
                    Blank(parse.GetValue(map)),
                    Blank(parse.GetValue(groupBy)),
                    parse.GetValue(noEmbeddings),
                    Blank(parse.GetValue(modelList)),
                    Blank(parse.GetValue(prices)),
                    Blank(parse.GetValue(embeddingCache))));
        });
        return command;
    }

    private sealed record Arguments(
        string? Outcomes,
        string? Train,
        string? Test,
        string? Weak,
        string? Strong,
        double TestFraction,
        int Seed,
        bool SeedGiven,
        string? Seeds,
        string? Json,
        string? Png,
        string? SaveRouter,
        string? Map,
        string? GroupBy,
        bool NoEmbeddings,
        string? Models,
        string? Prices,
        string? EmbeddingCache);

    private static int Run(Arguments args)
    {
        if (args.Outcomes is null == (args.Train is null || args.Test is null) || (args.Train is null != (args.Test is null)))
        {
            return Fail("Give --outcomes FILE (split into train and test) or both --train FILE and --test FILE.");
        }

        if (!(args.TestFraction is > 0 and < 1))
        {
            return Fail("--test-fraction must be between 0 and 1 (exclusive).");
        }

        List<int> seedList;
        if (args.Seeds is not null)
        {
            if (args.SeedGiven)
            {
                return Fail("Give --seed N or --seeds LIST, not both.");
            }

            if (!TryParseSeeds(args.Seeds, out seedList, out var problem))
            {
                return Fail(problem);
            }
        }
        else
        {
            seedList = [args.Seed];
        }

        // Read everything before writing anything.
        OutcomeSet all;
        OutcomeSet? trainSet = null, testSet = null;
        string name;
        if (!TryLoad(args.Outcomes is not null ? "--outcomes" : "--train", args.Outcomes ?? args.Train!, out var first))
        {
            return BadInput;
        }

        if (args.Outcomes is not null)
        {
            all = first;
            name = first.Name;
        }
        else
        {
            if (!TryLoad("--test", args.Test!, out var second))
            {
                return BadInput;
            }

            if (args.Map is not null)
            {
                if (!TryParseMap(args.Map, out var renames, out var problem))
                {
                    return Fail(problem);
                }

                var missing = renames.Values.Where(m => !second.Models.Contains(m) && !first.Models.Contains(m)).ToList();
                if (missing.Count > 0)
                {
                    return Fail($"--map: no source has a model {string.Join(", ", missing.Select(m => $"'{m}'"))} (models: {string.Join(", ", first.Models.Union(second.Models))}).");
                }

                (first, second) = (Rename(first, renames), Rename(second, renames));
            }

            (trainSet, testSet) = (first, second);
            name = $"{first.Name} → {second.Name}";
            all = new OutcomeSet(name, [.. first.Records, .. second.Records]);
        }

        if (args.Map is not null && args.Outcomes is not null)
        {
            if (!TryParseMap(args.Map, out var renames, out var problem))
            {
                return Fail(problem);
            }

            var missing = renames.Values.Where(m => !all.Models.Contains(m)).ToList();
            if (missing.Count > 0)
            {
                return Fail($"--map: no source has a model {string.Join(", ", missing.Select(m => $"'{m}'"))} (models: {string.Join(", ", all.Models)}).");
            }

            all = Rename(all, renames);
        }

        Func<OutcomeRecord, string?>? groupOf = args.GroupBy switch
        {
            null => null,
            "group" => r => r.Group,
            "source" => r => r.Source,
            _ => null,
        };
        if (args.GroupBy is not null && groupOf is null)
        {
            return Fail($"--group-by '{args.GroupBy}': give 'group' (the source's label, e.g. the MMLU subject) or 'source' (the task, with several --outcomes).");
        }

        if (groupOf is not null && args.Outcomes is null)
        {
            return Fail("--group-by chooses how --outcomes is split; with --train and --test the split is already given.");
        }

        if (groupOf is not null && all.Records.Select(groupOf).Distinct(StringComparer.Ordinal).Count() < 2)
        {
            return Fail($"--group-by {args.GroupBy}: {all.Name} has fewer than two {(args.GroupBy == "source" ? "sources (give several, comma-separated, to --outcomes)" : "groups (only RouteLLM's MMLU and MT-Bench, and JSONL records with a \"group\", carry one)")}.");
        }

        (IReadOnlyList<OutcomeRecord> Train, IReadOnlyList<OutcomeRecord> Test) SplitFor(int seed) =>
            args.Outcomes is null ? (trainSet!.Records, testSet!.Records)
            : groupOf is not null ? OutcomeSplit.SplitByGroup(all.Records, groupOf, args.TestFraction, seed)
            : OutcomeSplit.Split(all.Records, args.TestFraction, seed);

        if (args.Models is not null)
        {
            if (args.Weak is not null || args.Strong is not null || args.SaveRouter is not null)
            {
                return Fail("--models lists every model to route between; do not give --weak, --strong or --save-router with it (train-router --models writes an N-model router).");
            }

            if (args.Json is { } multiJson && !PrepareOutput("--json", multiJson))
            {
                return BadInput;
            }

            var list = args.Models.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            using var multiEmbedder = args.NoEmbeddings ? null : LoadEmbedder();
            if (!args.NoEmbeddings && multiEmbedder is null)
            {
                return BadInput;
            }

            var multiCached = multiEmbedder is null ? null : Embedded(multiEmbedder, all, args.EmbeddingCache);
            return SimulateModels.Run(all, list, args.Prices, seedList, SplitFor, multiCached, args.Json);
        }

        if (args.Prices is not null)
        {
            return Fail("--prices prices the models of an N-model run; give --models too.");
        }

        if (!ResolveModels(all, args.Weak, args.Strong, out var weakModel, out var strongModel))
        {
            return BadInput;
        }

        foreach (var (option, path) in new[] { ("--json", args.Json), ("--png", args.Png), ("--save-router", args.SaveRouter) })
        {
            if (path is not null && !PrepareOutput(option, path))
            {
                return BadInput;
            }
        }

        // The sentence embedder is loaded once and its cache shared by every seed: each prompt is embedded once.
        using var embedder = args.NoEmbeddings ? null : LoadEmbedder();
        if (!args.NoEmbeddings && embedder is null)
        {
            return BadInput;
        }

        var cached = embedder is null ? null : Embedded(embedder, all, args.EmbeddingCache);
        var learner = new CrossValidatedRouterTrainer(cached);

        // One split, training and evaluation per seed; seeds are independent, so they run side by side.
        var results = new (SimulationReport Report, DifficultyRouterModel Router)[seedList.Count];
        var failures = new Exception?[seedList.Count];
        Parallel.For(0, seedList.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            try
            {
                var (trainRows, testRows) = SplitFor(seedList[i]);
                results[i] = RoutingSimulation.Run(trainRows, testRows, new SimulationSettings(weakModel, strongModel, seedList[i]) { Learner = learner }, name);
                Console.WriteLine($"seed {seedList[i]}: learned = {results[i].Report.Learner}");
            }
            catch (Exception ex) when (IsInputError(ex))
            {
                failures[i] = ex;
            }
        });

        for (var i = 0; i < failures.Length; i++)
        {
            if (failures[i] is { } failure)
            {
                return Fail((seedList.Count > 1 ? $"seed {seedList[i]}: " : "") + OneLine(failure));
            }
        }

        if (args.SaveRouter is { } routerPath)
        {
            try
            {
                var (trainRows, testRows) = SplitFor(seedList[0]);
                var testKeys = new HashSet<string>(testRows.Select(OutcomeSplit.Key), StringComparer.Ordinal);
                var router = LearnedRouterTrainer.Train(
                    [.. trainRows.Where(r => !testKeys.Contains(OutcomeSplit.Key(r)))],
                    [weakModel, strongModel],
                    cached,
                    embedder is null ? null : new LearnedRouterEmbedder("all-MiniLM-L6-v2", embedder.Dimensions, embedder.MaxTokens),
                    new LearnerSelectionSettings(Seed: seedList[0]),
                    source: name);
                router.Save(routerPath);
                Console.WriteLine($"router written to {Path.GetFullPath(routerPath)} (trained on the training prompts{(seedList.Count > 1 ? $" of seed {seedList[0]}" : "")}: {router.Pairs[0].Selection.Chosen})");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"Cannot write the router: {OneLine(ex)}");
                return WriteFailed;
            }
            catch (ArgumentException ex)
            {
                return Fail($"--save-router: {OneLine(ex)}");
            }
        }

        return Summarise(results, seedList, args);
    }

    /// <summary>A cache over <paramref name="embedder"/> holding every prompt of <paramref name="all"/>, filled now (with a line of progress).</summary>
    private static CachingEmbedder Embedded(MiniLmEmbedder embedder, OutcomeSet all, string? cacheFile)
    {
        // Room for this run's prompts and everything the file holds, so that writing it back keeps earlier runs' entries.
        var inFile = cacheFile is not null && File.Exists(cacheFile) ? new FileInfo(cacheFile).Length / ((embedder.Dimensions * sizeof(float)) + 16) : 0;
        var cached = new CachingEmbedder(embedder, (int)Math.Clamp(all.Records.Count + inFile, 1, int.MaxValue));
        var tag = $"all-MiniLM-L6-v2/{embedder.MaxTokens}";
        if (cacheFile is not null && File.Exists(cacheFile))
        {
            try
            {
                using var stream = File.OpenRead(cacheFile);
                var loaded = cached.Load(stream, tag);
                Console.WriteLine(loaded < 0 ? $"embedding cache {cacheFile} was made by another embedder; not used" : $"embedding cache: {loaded} embeddings read from {cacheFile}");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Console.WriteLine($"embedding cache {cacheFile} not used: {OneLine(ex)}");
            }
        }

        var before = cached.Misses;
        Console.WriteLine($"embedding {all.Records.Count} prompts (all-MiniLM-L6-v2, once for every seed)");
        cached.Embed([.. all.Records.Select(r => r.Prompt)]);
        if (cacheFile is not null && cached.Misses > before)
        {
            try
            {
                var temporary = cacheFile + ".tmp";
                using (var stream = File.Create(temporary))
                {
                    cached.Save(stream, tag);
                }

                File.Move(temporary, cacheFile, overwrite: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Console.WriteLine($"embedding cache {cacheFile} not written: {OneLine(ex)}");
            }
        }

        return cached;
    }

    /// <summary>The sentence embedder, or null after a one-line error.</summary>
    private static MiniLmEmbedder? LoadEmbedder()
    {
        try
        {
            // Simulation embeds thousands of prompts up front: use every core for each batch.
            return new MiniLmEmbedder(new MiniLmEmbedderOptions { IntraOpThreads = Math.Max(1, Environment.ProcessorCount) });
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            Console.Error.WriteLine($"Cannot load the sentence embedder: {OneLine(ex)} (use --no-embeddings to compare the length baseline only).");
            return null;
        }
    }

    /// <summary>Parses <c>trainName=testName[,…]</c>.</summary>
    internal static bool TryParseMap(string spec, out Dictionary<string, string> renames, out string problem)
    {
        renames = new Dictionary<string, string>(StringComparer.Ordinal);
        problem = string.Empty;
        foreach (var part in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == part.Length - 1)
            {
                problem = $"--map '{spec}': '{part}' is not NAME=OTHER (read model OTHER as NAME).";
                return false;
            }

            renames[part[..eq].Trim()] = part[(eq + 1)..].Trim();
        }

        if (renames.Count == 0)
        {
            problem = "--map needs at least one NAME=OTHER.";
            return false;
        }

        return true;
    }

    /// <summary>The test set with each mapped model's outcomes under its training name.</summary>
    private static OutcomeSet Rename(OutcomeSet set, Dictionary<string, string> renames)
    {
        var byTestName = renames.ToDictionary(r => r.Value, r => r.Key, StringComparer.Ordinal);
        var records = set.Records.Select(r => r with
        {
            Outcomes = r.Outcomes.ToDictionary(o => byTestName.TryGetValue(o.Key, out var trainName) ? trainName : o.Key, o => o.Value, StringComparer.Ordinal),
        }).ToList();
        return new OutcomeSet(set.Name, records);
    }

    private static int Summarise((SimulationReport Report, DifficultyRouterModel Router)[] results, List<int> seedList, Arguments args)
    {
        var summary = SimulationSummary.Create([.. results.Select(r => r.Report)]) with
        {
            TestFraction = args.Outcomes is not null ? args.TestFraction : null,
        };

        Print(summary);
        WarnOnSmallGap(summary);

        try
        {
            if (args.Json is { } jsonPath)
            {
                File.WriteAllText(jsonPath, JsonSerializer.Serialize(summary, CliJsonContext.Default.SimulationSummary));
                Console.WriteLine($"metrics written to {Path.GetFullPath(jsonPath)}");
            }

            if (args.Png is { } pngPath)
            {
                Charts.QualityCostChart.Save(summary, pngPath);
                Console.WriteLine($"chart written to {Path.GetFullPath(pngPath)}");
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"Cannot write the output: {OneLine(ex)}");
            return WriteFailed;
        }

        return Ok;
    }

    /// <summary>
    /// Picks the weak and strong model, defaulting from a two-model outcome set, and checks that both have outcomes
    /// and that the weak one really scores lower; prints why (one line on stderr) on failure.
    /// </summary>
    internal static bool ResolveModels(OutcomeSet set, string? weak, string? strong, out string weakModel, out string strongModel)
    {
        weakModel = weak ?? string.Empty;
        strongModel = strong ?? string.Empty;
        if (set.Models.Count < 2)
        {
            Console.Error.WriteLine(set.Models.Count == 0
                ? $"{set.Name} has no outcomes: routing compares two models scored on the same prompts."
                : $"{set.Name} has outcomes for only one model ('{set.Models[0]}'): routing compares two models scored on the same prompts, a cheaper one (--weak) and a stronger one (--strong).");
            return false;
        }

        var inferred = false;
        if (weak is null || strong is null)
        {
            var given = weak ?? strong;
            if (given is not null && !Has(set, given))
            {
                return false;
            }

            if (set.Models.Count != 2)
            {
                Console.Error.WriteLine($"{set.Name} has outcomes for {set.Models.Count} models ({string.Join(", ", set.Models)}): name the two to compare with --weak and --strong.");
                return false;
            }

            if (given is null)
            {
                // The cheaper by mean cost when costs are known, else the one that scores lower.
                var stats = PairStatistics.Compute(set.Records, set.Models[0], set.Models[1]);
                var firstIsWeak = stats is { WeakMeanCost: { } a, StrongMeanCost: { } b } ? a <= b : !(stats.WeakMeanScore > stats.StrongMeanScore);
                (weakModel, strongModel) = firstIsWeak ? (set.Models[0], set.Models[1]) : (set.Models[1], set.Models[0]);
                inferred = true;
            }
            else
            {
                var other = set.Models.First(m => m != given);
                (weakModel, strongModel) = weak is null ? (other, given) : (given, other);
            }

            Console.WriteLine($"weak: {weakModel}, strong: {strongModel}");
        }

        if (!Has(set, weakModel) || !Has(set, strongModel))
        {
            return false;
        }

        if (weakModel == strongModel)
        {
            Console.Error.WriteLine($"--weak and --strong both name '{weakModel}': name two different models.");
            return false;
        }

        var pair = PairStatistics.Compute(set.Records, weakModel, strongModel);
        if (pair.Prompts == 0)
        {
            Console.Error.WriteLine($"'{weakModel}' and '{strongModel}' have no prompt in common in {set.Name}: both need a score on the same prompts.");
            return false;
        }

        if (pair.WeakMeanScore > pair.StrongMeanScore)
        {
            var costs = pair is { WeakMeanCost: { } wc, StrongMeanCost: { } sc }
                ? string.Create(CultureInfo.InvariantCulture, $"; mean cost ${wc:0.######} vs ${sc:0.######}{(wc > sc ? ": it costs more too" : "")}")
                : "";
            var scores = string.Create(CultureInfo.InvariantCulture, $"mean score {pair.WeakMeanScore:0.000} vs {pair.StrongMeanScore:0.000} on {pair.Prompts} prompts{costs}");
            Console.Error.WriteLine(inferred
                ? $"'{weakModel}', taken as the weak model because it costs less, scores higher than '{strongModel}' ({scores}): there is no quality gap for the stronger model to recover; name the pair with --weak and --strong."
                : $"--weak '{weakModel}' scores higher than --strong '{strongModel}' ({scores}): they look swapped; the weak model is the cheaper one that scores lower. Try --weak {Quote(strongModel)} --strong {Quote(weakModel)}.");
            return false;
        }

        return true;
    }

    /// <summary>Whether an exception is about the user's input (arguments, files, data) rather than a bug.</summary>
    internal static bool IsInputError(Exception ex) =>
        ex is IOException or UnauthorizedAccessException or OutcomeFormatException or RouteLlmFormatException or SimulationInputException
            or FormatException or ArgumentException or JsonException or NotSupportedException;

    /// <summary>An exception's message as one line, without .NET's " (Parameter 'x')" suffix.</summary>
    internal static string OneLine(Exception ex)
    {
        var message = ex.Message;
        if (ex is ArgumentException { ParamName: { } parameter })
        {
            message = message.Replace($" (Parameter '{parameter}')", "", StringComparison.Ordinal);
        }

        return message.ReplaceLineEndings(" ").Trim();
    }

    /// <summary>
    /// Makes sure an output file can be created: its folder is created when missing (as for every file simulate and
    /// train-router write); prints a one-line error and returns false when that fails or the path is a folder.
    /// </summary>
    internal static bool PrepareOutput(string option, string path)
    {
        try
        {
            var full = Path.GetFullPath(path);
            if (Directory.Exists(full))
            {
                Console.Error.WriteLine($"{option}: '{full}' is a folder; give a file name.");
                return false;
            }

            if (Path.GetDirectoryName(full) is { Length: > 0 } folder)
            {
                Directory.CreateDirectory(folder);
            }

            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            Console.Error.WriteLine($"{option}: cannot create the folder of '{path}': {OneLine(ex)}");
            return false;
        }
    }

    /// <summary>Reads an outcome source, printing a one-line error on failure.</summary>
    internal static bool TryLoad(string option, string path, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out OutcomeSet? set)
    {
        set = null;
        try
        {
            set = OutcomeSources.LoadMany(path);
            return true;
        }
        catch (Exception ex) when (ex is OutcomeFormatException or RouteLlmFormatException)
        {
            // These start with file:line: and say what is wrong there.
            Console.Error.WriteLine(OneLine(ex));
        }
        catch (Exception ex) when (IsInputError(ex))
        {
            Console.Error.WriteLine($"{option}: {OneLine(ex)}");
        }

        return false;
    }

    /// <summary>Parses <c>1-5</c>, <c>1,4,7</c>, <c>3</c> or a mix (<c>1-3,7</c>): seeds are whole numbers of 0 or more, duplicates dropped.</summary>
    internal static bool TryParseSeeds(string spec, out List<int> seeds, out string problem)
    {
        seeds = [];
        problem = string.Empty;
        var seen = new HashSet<int>();
        foreach (var part in spec.Split(',', StringSplitOptions.TrimEntries))
        {
            var dash = part.IndexOf('-', StringComparison.Ordinal);
            var (fromText, toText) = dash < 0 ? (part, part) : (part[..dash], part[(dash + 1)..]);
            if (!int.TryParse(fromText, NumberStyles.None, CultureInfo.InvariantCulture, out var from)
                || !int.TryParse(toText, NumberStyles.None, CultureInfo.InvariantCulture, out var to))
            {
                problem = $"--seeds '{spec}': '{part}' is not a seed (a whole number of 0 or more) or a range like 1-5; give e.g. 1-5, 1,4,7 or 3.";
                return false;
            }

            if (to < from)
            {
                problem = $"--seeds '{spec}': the range '{part}' runs backwards; write it low-high, e.g. {to}-{from}.";
                return false;
            }

            if ((long)to - from + seeds.Count >= MaxSeeds)
            {
                problem = $"--seeds '{spec}': at most {MaxSeeds} seeds.";
                return false;
            }

            for (var s = from; ; s++)
            {
                if (seen.Add(s))
                {
                    seeds.Add(s);
                }

                if (s == to)
                {
                    break;
                }
            }
        }

        return true;
    }

    private static bool Has(OutcomeSet set, string model)
    {
        if (set.Models.Contains(model))
        {
            return true;
        }

        var close = set.Models.Where(m => m.Contains(model, StringComparison.OrdinalIgnoreCase) || model.Contains(m, StringComparison.OrdinalIgnoreCase)).Take(5).ToList();
        var hint = close.Count switch
        {
            0 => "",
            1 => $"; did you mean '{close[0]}'?",
            _ => $"; did you mean one of {string.Join(", ", close.Select(m => $"'{m}'"))}?",
        };
        Console.Error.WriteLine($"'{model}' has no outcomes in {set.Name} (models: {string.Join(", ", set.Models)}){hint}");
        return false;
    }

    private static void Print(SimulationSummary summary)
    {
        var runs = summary.Runs;
        var many = runs.Count > 1;
        var first = runs[0];
        var held = Range(runs.Select(r => (double)r.TestPrompts), "0");
        var trained = Range(runs.Select(r => (double)r.TrainPrompts), "0");
        var seeds = many ? $", seeds {SeedList(summary.Seeds)} (mean and min–max)" : $", seed {first.Seed}";
        Console.WriteLine($"{summary.Source}: {summary.Weak} (weak) vs {summary.Strong} (strong); {held} held-out prompts, trained on {trained}{seeds}");

        var table = new Table();
        table.AddColumns("router", "APGR", "CPT(20%)", "CPT(50%)", "CPT(80%)", "AIQ");
        foreach (var (name, s) in summary.Summary)
        {
            var label = name switch
            {
                "always_weak" => $"always_weak ({summary.Weak})",
                "always_strong" => $"always_strong ({summary.Strong})",
                _ => name,
            };
            string[] cells = [label, Cell(s.Apgr, many, pct: false), Cell(s.Cpt20, many, pct: true), Cell(s.Cpt50, many, pct: true), Cell(s.Cpt80, many, pct: true), Cell(s.Aiq, many, pct: false)];
            table.AddRow([.. cells.Select(Markup.Escape)]);
        }

        AnsiConsole.Write(table);
        var weakMean = Range(runs.Select(r => r.WeakMean), "0.000");
        var strongMean = Range(runs.Select(r => r.StrongMean), "0.000");
        Console.WriteLine($"mean quality on the held-out prompts: weak {summary.Weak} {weakMean}, strong {summary.Strong} {strongMean}");
        Console.WriteLine("CPT(x) = share of calls to the strong model needed to recover x of the quality gap; length = the longer the last user message, the sooner it goes to the strong model");
        if (summary.Summary.TryGetValue("learned", out var learned) && summary.Summary.TryGetValue("length", out var length)
            && learned.Apgr.Defined > 0 && length.Apgr.Defined > 0)
        {
            var ahead = runs.Count(r => r.Routers["learned"].Apgr > r.Routers["length"].Apgr);
            var difference = learned.Apgr.Mean - length.Apgr.Mean;
            var verdict = difference switch
            {
                > 0 => string.Create(CultureInfo.InvariantCulture, $"learned ahead by {difference:0.000}"),
                < 0 => string.Create(CultureInfo.InvariantCulture, $"learned BEHIND the length baseline by {-difference:0.000}"),
                _ => "a tie",
            };
            var perSeed = many ? $"; learned ahead on {ahead} of {runs.Count} seeds" : "";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"APGR: learned {learned.Apgr.Mean:0.000}, length baseline {length.Apgr.Mean:0.000} ({verdict}{perSeed})"));
        }
    }

    private static void WarnOnSmallGap(SimulationSummary summary)
    {
        var small = summary.Runs.Where(r => !(r.StrongMean - r.WeakMean >= SmallGap)).ToList();
        if (small.Count == 0)
        {
            return;
        }

        var gaps = string.Join(", ", small.Select(r => (r.StrongMean - r.WeakMean).ToString("0.000", CultureInfo.InvariantCulture)));
        var where = summary.Runs.Count > 1
            ? $"on seed{(small.Count > 1 ? "s" : "")} {string.Join(", ", small.Select(r => r.Seed.ToString(CultureInfo.InvariantCulture)))} ({gaps})"
            : $"({gaps})";
        var undefined = small.Any(r => !(r.StrongMean > r.WeakMean)) ? " (where it is 0 or less they are undefined: n/a)" : "";
        Console.Error.WriteLine($"warning: the strong–weak gap in mean quality on the test set is under 5 points {where}: PGR, APGR and CPT divide by that gap, so they are mostly noise{undefined}.");
    }

    private static string Cell(MetricSummary m, bool many, bool pct)
    {
        string Format(double v) => pct ? (v * 100).ToString("0.0", CultureInfo.InvariantCulture) : v.ToString("0.000", CultureInfo.InvariantCulture);
        if (m.Defined == 0)
        {
            return "n/a";
        }

        var unit = pct ? "%" : "";
        if (!many)
        {
            return Format(m.Mean) + unit;
        }

        var partial = m.Defined < m.Values.Count ? $" [{m.Defined} of {m.Values.Count} seeds]" : "";
        var range = Format(m.Min) == Format(m.Max) ? "" : $" ({Format(m.Min)}–{Format(m.Max)})";
        return $"{Format(m.Mean)}{unit}{range}{partial}";
    }

    private static string Range(IEnumerable<double> values, string format)
    {
        var list = values.ToList();
        var (min, max) = (list.Min(), list.Max());
        return min == max
            ? min.ToString(format, CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{list.Average().ToString(format, CultureInfo.InvariantCulture)} ({min.ToString(format, CultureInfo.InvariantCulture)}–{max.ToString(format, CultureInfo.InvariantCulture)})");
    }

    /// <summary>Seeds as written: consecutive runs as ranges (1–5, 7).</summary>
    internal static string SeedList(IReadOnlyList<int> seeds)
    {
        var parts = new List<string>();
        for (var i = 0; i < seeds.Count;)
        {
            var j = i;
            while (j + 1 < seeds.Count && seeds[j + 1] == seeds[j] + 1)
            {
                j++;
            }

            parts.Add(j > i ? string.Create(CultureInfo.InvariantCulture, $"{seeds[i]}–{seeds[j]}") : seeds[i].ToString(CultureInfo.InvariantCulture));
            i = j + 1;
        }

        return string.Join(", ", parts);
    }

    private static string Quote(string model) => model.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"') ? $"\"{model}\"" : model;

    private static string? Blank(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return BadInput;
    }
}
