using System.Globalization;
using System.Text.Json;
using Switchyard.Configuration;
using Switchyard.Embeddings;
using Switchyard.Routing.Difficulty;

namespace Switchyard.Routing.Learners;

/// <summary>
/// A difficulty router for N models trained by <see cref="LearnedRouterTrainer"/>: per cheaper model, the learner
/// grouped cross-validation chose (never one below the length baseline) with its table, and the chosen learners'
/// out-of-fold predictions with every model's score and cost, on which one shared threshold is calibrated for a
/// route's target. Saved as <c>switchyard.difficulty-router/2</c> JSON, which <c>serve</c> loads.
/// </summary>
public sealed class LearnedRouterModel
{
    /// <summary>The format tag of every learned router file.</summary>
    public const string FormatTag = "switchyard.difficulty-router/2";

    /// <summary>Output tokens assumed per answer when the training data did not record them (for pricing calibration prompts).</summary>
    public const int DefaultOutputTokens = 256;

    /// <summary>Creates a router.</summary>
    public LearnedRouterModel(
        IReadOnlyList<string> models,
        IReadOnlyList<LearnedRouterPair> pairs,
        LearnedRouterCalibration calibration,
        LearnedRouterEmbedder? embedder,
        LearnerSelectionSettings selection,
        string? source = null,
        DateTimeOffset? created = null)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(pairs);
        ArgumentNullException.ThrowIfNull(calibration);
        ArgumentNullException.ThrowIfNull(selection);
        if (models.Count < 2 || pairs.Count != models.Count - 1)
        {
            throw new ArgumentException($"{models.Count} models need {models.Count - 1} pairs; got {pairs.Count}.", nameof(pairs));
        }

        for (var i = 0; i < pairs.Count; i++)
        {
            if (pairs[i].Weak != models[i] || pairs[i].Strong != models[^1])
            {
                throw new ArgumentException($"Pair {i} is {pairs[i].Weak} vs {pairs[i].Strong}; expected {models[i]} vs {models[^1]}.", nameof(pairs));
            }
        }

        Models = models;
        Pairs = pairs;
        Calibration = calibration;
        Embedder = embedder;
        Selection = selection;
        Source = source;
        Created = created;
    }

    /// <summary>Every model, cheapest first, the strongest last.</summary>
    public IReadOnlyList<string> Models { get; }

    /// <summary>One per cheaper model, in <see cref="Models"/> order.</summary>
    public IReadOnlyList<LearnedRouterPair> Pairs { get; }

    /// <summary>Out-of-fold predictions, scores and costs of the training prompts.</summary>
    public LearnedRouterCalibration Calibration { get; }

    /// <summary>The embedder the learners read, or null when none reads embeddings.</summary>
    public LearnedRouterEmbedder? Embedder { get; }

    /// <summary>How learners were cross-validated.</summary>
    public LearnerSelectionSettings Selection { get; }

    /// <summary>What it was trained on.</summary>
    public string? Source { get; }

    /// <summary>When it was trained.</summary>
    public DateTimeOffset? Created { get; }

    /// <summary>Whether any chosen learner reads embeddings (then serving needs the embedder).</summary>
    public bool NeedsEmbeddings => Pairs.Any(p => p.Learner.EmbeddingDimensions > 0);

    /// <summary>Whether the file holds <c>switchyard.difficulty-router/2</c> (reads only its start).</summary>
    public static bool IsLearnedRouterFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            using var stream = File.OpenRead(path);
            var buffer = new byte[Math.Min(512, stream.Length)];
            stream.ReadExactly(buffer);
            return System.Text.Encoding.UTF8.GetString(buffer).Contains(FormatTag, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>
    /// The calibration set for a route whose candidates are <paramref name="models"/> (router model names, cheapest
    /// first, the strongest last: a subsequence of <see cref="Models"/> ending with the strongest). Costs are the
    /// recorded ones when the training data had them for every prompt, else each prompt priced with
    /// <paramref name="prices"/> (input tokens estimated from its length, output tokens as recorded or
    /// <see cref="DefaultOutputTokens"/>); with neither, the strongest costs 1 and the others 0.
    /// </summary>
    /// <exception cref="ArgumentException">A model is not in the router, out of order, or the last is not the strongest.</exception>
    public RouteCalibrationSet CalibrationFor(IReadOnlyList<string> models, IReadOnlyList<ModelPrice?>? prices = null)
    {
        var indices = IndicesOf(models);
        var c = Calibration;
        var n = c.Scores[0].Length;
        double[][] costs;
        if (c.Costs is { } recorded)
        {
            costs = [.. indices.Select(m => recorded[m])];
        }
        else if (prices is not null && prices.Count == models.Count && prices.All(p => p is not null))
        {
            costs = new double[indices.Length][];
            for (var k = 0; k < indices.Length; k++)
            {
                var price = prices[k]!;
                var output = c.OutputTokens[indices[k]] ?? DefaultOutputTokens;
                var (perInput, perOutput) = ((double)price.Input / 1_000_000.0, (double)price.Output / 1_000_000.0);
                costs[k] = [.. c.InputTokens.Select(input => (input * perInput) + (output * perOutput))];
            }
        }
        else
        {
            costs = [.. indices.Select((_, k) => k == indices.Length - 1 ? Enumerable.Repeat(1.0, n).ToArray() : new double[n])];
        }

        return new RouteCalibrationSet([.. indices[..^1].Select(m => c.PGood[m])], [.. indices.Select(m => c.Scores[m])], costs);
    }

    /// <summary>
    /// A <see cref="DifficultyStrategy"/> for a route: each cheaper candidate is scored by its pair's learner and all
    /// share one threshold calibrated to the target on <see cref="CalibrationFor"/>.
    /// </summary>
    /// <param name="models">The router model of each route candidate, cheapest first.</param>
    /// <param name="candidates">The route's candidate names (same order and count).</param>
    /// <param name="prices">Each candidate's price (for cost targets and reports).</param>
    /// <param name="encoder">Encodes conversations (with an embedder when <see cref="NeedsEmbeddings"/>).</param>
    /// <param name="target">The calibration target.</param>
    public DifficultyStrategy CreateStrategy(IReadOnlyList<string> models, IReadOnlyList<string> candidates, IReadOnlyList<ModelPrice?> prices, PromptEncoder encoder, RouteTarget target)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(target);
        if (candidates.Count != models.Count)
        {
            throw new ArgumentException("Give one router model per candidate.", nameof(candidates));
        }

        var indices = IndicesOf(models);
        var set = CalibrationFor(models, prices);
        var threshold = target.Calibrate(set);
        var steps = new Dictionary<string, (IDifficultyScorer, CalibratedThreshold)>(StringComparer.OrdinalIgnoreCase);
        for (var k = 0; k < indices.Length - 1; k++)
        {
            var pair = Pairs[indices[k]];
            var scorer = new LearnedDifficultyScorer(pair.Learner, encoder, pair.Weak, pair.Strong, Selection.Margin);
            steps[candidates[k]] = (scorer, threshold with { Target = $"{threshold.Target}, learner {pair.Selection.Chosen}" });
        }

        return new DifficultyStrategy(steps);
    }

    /// <summary>Writes the router to <paramref name="path"/> (its folder is created).</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        using var stream = File.Create(path);
        JsonSerializer.Serialize(stream, ToFile(), RouterJsonContext.Default.LearnedRouterFile);
    }

    /// <summary>Reads a router file; a missing, malformed or inconsistent file throws <see cref="FormatException"/> naming the file and the problem.</summary>
    public static LearnedRouterModel Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        LearnedRouterFile? file;
        try
        {
            using var stream = File.OpenRead(path);
            file = JsonSerializer.Deserialize(stream, RouterJsonContext.Default.LearnedRouterFile);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException)
        {
            throw new FormatException($"Router file '{path}' is not a valid learned router: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FormatException($"Router file '{path}' cannot be read: {e.Message}", e);
        }

        try
        {
            return FromFile(file);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new FormatException($"Router file '{path}': {e.Message}", e);
        }
    }

    /// <summary>The cross-validation tables, one per cheaper model, as plain text.</summary>
    public string FormatTables() => string.Join(Environment.NewLine, Pairs.Select(p => p.Selection.FormatTable()));

    private int[] IndicesOf(IReadOnlyList<string> models)
    {
        ArgumentNullException.ThrowIfNull(models);
        if (models.Count < 2)
        {
            throw new ArgumentException("A difficulty route needs at least two candidates.", nameof(models));
        }

        var indices = new int[models.Count];
        for (var k = 0; k < models.Count; k++)
        {
            indices[k] = IndexOfModel(models[k]);
            if (indices[k] < 0)
            {
                throw new ArgumentException($"the router has no model '{models[k]}' (it has: {string.Join(", ", Models)}).", nameof(models));
            }

            if (k > 0 && indices[k] <= indices[k - 1])
            {
                throw new ArgumentException($"candidates must follow the router's order, cheapest first ({string.Join(", ", Models)}); '{models[k]}' comes before '{models[k - 1]}'.", nameof(models));
            }
        }

        if (indices[^1] != Models.Count - 1)
        {
            throw new ArgumentException($"the last candidate must be the router's strongest model '{Models[^1]}' (every prediction is against it), not '{models[^1]}'.", nameof(models));
        }

        return indices;
    }

    /// <summary>The index of a model by name (ordinal, then case-insensitive), or −1.</summary>
    public int IndexOfModel(string model)
    {
        for (var pass = 0; pass < 2; pass++)
        {
            for (var i = 0; i < Models.Count; i++)
            {
                if (string.Equals(Models[i], model, pass == 0 ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }
        }

        return -1;
    }

    private LearnedRouterFile ToFile() => new()
    {
        Format = FormatTag,
        Created = Created,
        Source = Source,
        Models = [.. Models],
        Embedder = Embedder is { } e ? new LearnedRouterFile.EmbedderFile { Name = e.Name, Dimensions = e.Dimensions, MaxTokens = e.MaxTokens } : null,
        Folds = Selection.Folds,
        Seed = Selection.Seed,
        Margin = Selection.Margin,
        Pairs = [.. Pairs.Select(p => new LearnedRouterFile.PairFile
        {
            Weak = p.Weak,
            Strong = p.Strong,
            Chosen = p.Selection.Chosen,
            FellBackToBaseline = p.Selection.FellBackToBaseline,
            Reason = p.Selection.Reason,
            RandomApgr = p.Selection.RandomApgr,
            OracleApgr = p.Selection.OracleApgr,
            CrossValidation = [.. p.Selection.Table],
            Learner = p.Learner,
        })],
        Calibration = new LearnedRouterFile.CalibrationFile
        {
            PGood = [.. Calibration.PGood],
            Scores = [.. Calibration.Scores],
            Costs = Calibration.Costs is null ? null : [.. Calibration.Costs],
            InputTokens = [.. Calibration.InputTokens],
            OutputTokens = [.. Calibration.OutputTokens],
        },
    };

    private static LearnedRouterModel FromFile(LearnedRouterFile? file)
    {
        if (file?.Format != FormatTag)
        {
            throw new FormatException($"format is '{file?.Format}', expected '{FormatTag}' (train one with 'switchyard train-router').");
        }

        if (file.Models is not { Count: >= 2 } models || models.Any(string.IsNullOrEmpty))
        {
            throw new FormatException("'models' must list at least two model names.");
        }

        if (file.Pairs is not { } pairs || pairs.Count != models.Count - 1)
        {
            throw new FormatException($"'pairs' must hold one entry per cheaper model ({models.Count - 1}).");
        }

        var selection = new LearnerSelectionSettings(file.Folds, file.Seed, file.Margin);
        try
        {
            selection.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new FormatException(e.Message, e);
        }

        var embedder = file.Embedder is { } ef ? new LearnedRouterEmbedder(ef.Name ?? "unknown", ef.Dimensions, ef.MaxTokens) : null;
        var result = new List<LearnedRouterPair>(pairs.Count);
        for (var i = 0; i < pairs.Count; i++)
        {
            var p = pairs[i];
            var learner = p.Learner ?? throw new FormatException($"pair {i} ({p.Weak}) has no learner.");
            learner.Validate();
            if (learner.IndexOf(LearnerTarget.GoodEnough(models[i], models[^1], file.Margin)) < 0)
            {
                throw new FormatException($"pair {i}'s learner predicts no good-enough target for '{models[i]}' against '{models[^1]}'.");
            }

            if (learner.EmbeddingDimensions > 0 && (embedder is null || embedder.Dimensions != learner.EmbeddingDimensions))
            {
                throw new FormatException($"pair {i}'s learner reads {learner.EmbeddingDimensions}-dimensional embeddings; the file's embedder gives {embedder?.Dimensions ?? 0}.");
            }

            var table = p.CrossValidation ?? [];
            var selectionResult = new LearnerSelectionResult(models[i], models[^1], file.Calibration?.Scores?.FirstOrDefault()?.Length ?? 0, file.Folds, table, p.Chosen ?? "?", p.FellBackToBaseline, p.Reason ?? string.Empty)
            {
                RandomApgr = p.RandomApgr,
                OracleApgr = p.OracleApgr,
            };
            result.Add(new LearnedRouterPair(models[i], models[^1], learner, selectionResult));
        }

        var c = file.Calibration ?? throw new FormatException("'calibration' is missing.");
        var calibration = new LearnedRouterCalibration(
            [.. c.PGood ?? []],
            [.. c.Scores ?? []],
            c.Costs is null ? null : [.. c.Costs],
            c.InputTokens ?? [],
            c.OutputTokens ?? new double?[models.Count]);
        calibration.Validate(models.Count);
        return new LearnedRouterModel(models, result, calibration, embedder, selection, file.Source, file.Created);
    }
}

/// <summary>The sentence embedder a learned router was trained with.</summary>
/// <param name="Name">Its name (e.g. <c>all-MiniLM-L6-v2</c>).</param>
/// <param name="Dimensions">Embedding length.</param>
/// <param name="MaxTokens">Tokens per text it read (longer texts truncated).</param>
public sealed record LearnedRouterEmbedder(string Name, int Dimensions, int MaxTokens);

/// <summary>The training prompts' out-of-fold predictions, scores and costs (see <see cref="LearnedRouterModel.CalibrationFor"/>).</summary>
/// <param name="PGood">Per cheaper model, per prompt: the chosen learner's out-of-fold P(good enough).</param>
/// <param name="Scores">Per model, per prompt: its score in [0, 1].</param>
/// <param name="Costs">Per model, per prompt: recorded cost in dollars, or null when the data did not record it for every prompt.</param>
/// <param name="InputTokens">Per prompt: input tokens estimated as characters / 4.</param>
/// <param name="OutputTokens">Per model: mean recorded output tokens, or null.</param>
public sealed record LearnedRouterCalibration(
    IReadOnlyList<double[]> PGood,
    IReadOnlyList<double[]> Scores,
    IReadOnlyList<double[]>? Costs,
    IReadOnlyList<int> InputTokens,
    IReadOnlyList<double?> OutputTokens)
{
    /// <summary>Throws <see cref="FormatException"/> unless the shapes fit <paramref name="models"/> models.</summary>
    public void Validate(int models)
    {
        var n = InputTokens.Count;
        if (n == 0 || PGood.Count != models - 1 || Scores.Count != models || OutputTokens.Count != models || (Costs is not null && Costs.Count != models))
        {
            throw new FormatException($"calibration: {models} models need {models - 1} p_good rows, {models} score rows, {models} output-token means and input tokens per prompt.");
        }

        var set = new RouteCalibrationSet([.. PGood], [.. Scores], Costs is null ? [.. Scores.Select(_ => new double[n])] : [.. Costs]);
        set.Validate();
        if (set.Count != n)
        {
            throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"calibration: {set.Count} prompts scored but {n} input-token counts."));
        }
    }
}
