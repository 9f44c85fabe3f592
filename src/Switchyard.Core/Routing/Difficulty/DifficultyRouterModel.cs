using System.Runtime.InteropServices;
using System.Text.Json;

namespace Switchyard.Routing.Difficulty;

/// <summary>
/// A trained difficulty router: the featurizer settings and, per cheaper model, a model of P(good enough) against
/// the strongest model with its calibration set. Saved as one JSON file that <c>serve</c> loads
/// (<c>Routes:&lt;name&gt;:Strategy:Router</c>) and <c>simulate</c>/<c>train-router</c> write.
/// </summary>
public sealed class DifficultyRouterModel
{
    /// <summary>The format tag in every router file.</summary>
    public const string FormatTag = "switchyard.difficulty-router/1";

    private readonly ConversationFeaturizer _featurizer;

    /// <summary>Creates a router from trained pairs.</summary>
    public DifficultyRouterModel(FeaturizerSettings featurizer, TrainingSettings training, IReadOnlyList<DifficultyPairModel> pairs, string? source = null, DateTimeOffset? created = null)
    {
        ArgumentNullException.ThrowIfNull(featurizer);
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(pairs);
        _featurizer = new ConversationFeaturizer(featurizer);
        Featurizer = featurizer;
        Training = training;
        Pairs = pairs;
        Source = source;
        Created = created;
    }

    /// <summary>What the featurizer extracts.</summary>
    public FeaturizerSettings Featurizer { get; }

    /// <summary>How the pairs were trained.</summary>
    public TrainingSettings Training { get; }

    /// <summary>One model per cheaper model.</summary>
    public IReadOnlyList<DifficultyPairModel> Pairs { get; }

    /// <summary>What it was trained on (a file or benchmark name).</summary>
    public string? Source { get; }

    /// <summary>When it was trained.</summary>
    public DateTimeOffset? Created { get; }

    /// <summary>The pair whose cheaper model is <paramref name="weak"/> (ordinal, then case-insensitive), or null.</summary>
    public DifficultyPairModel? PairFor(string weak) =>
        Pairs.FirstOrDefault(p => p.Weak == weak) ?? Pairs.FirstOrDefault(p => string.Equals(p.Weak, weak, StringComparison.OrdinalIgnoreCase));

    /// <summary>A scorer for one of this router's pairs (sharing the router's featurizer).</summary>
    public IDifficultyScorer CreateScorer(DifficultyPairModel pair) => new LinearDifficultyScorer(_featurizer, pair);

    /// <summary>Writes the router to <paramref name="path"/>.</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var file = new DifficultyRouterFile
        {
            Format = FormatTag,
            Created = Created,
            Source = Source,
            Featurizer = Featurizer,
            Training = Training,
            Pairs = [.. Pairs.Select(p => new DifficultyRouterFile.PairFile
            {
                Weak = p.Weak,
                Strong = p.Strong,
                Examples = p.Examples,
                GoodEnoughRate = p.GoodEnoughRate,
                Bias = p.Model.Bias,
                Weights = Convert.ToBase64String(MemoryMarshal.AsBytes(p.Model.Weights.AsSpan())),
                Calibration = p.Calibration,
            })],
        };
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        using var stream = File.Create(path);
        JsonSerializer.Serialize(stream, file, DifficultyJsonContext.Default.DifficultyRouterFile);
    }

    /// <summary>Reads a router file; a missing, malformed or inconsistent file throws <see cref="FormatException"/> naming the file and the problem.</summary>
    public static DifficultyRouterModel Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        DifficultyRouterFile? file;
        try
        {
            using var stream = File.OpenRead(path);
            file = JsonSerializer.Deserialize(stream, DifficultyJsonContext.Default.DifficultyRouterFile);
        }
        catch (JsonException e)
        {
            throw new FormatException($"Router file '{path}' is not valid JSON: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new FormatException($"Router file '{path}' cannot be read: {e.Message}", e);
        }

        string Bad(string what) => $"Router file '{path}': {what}";
        if (file?.Format != FormatTag)
        {
            throw new FormatException(Bad($"format is '{file?.Format}', expected '{FormatTag}' (train one with 'switchyard train-router' or 'switchyard simulate --save-router')."));
        }

        var featurizer = file.Featurizer ?? throw new FormatException(Bad("'featurizer' is missing."));
        try
        {
            featurizer.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new FormatException(Bad(e.Message), e);
        }

        var dimension = new ConversationFeaturizer(featurizer).Dimension;
        if (file.Pairs is not { Count: > 0 } pairs)
        {
            throw new FormatException(Bad("it holds no trained pairs."));
        }

        var result = new List<DifficultyPairModel>(pairs.Count);
        foreach (var p in pairs)
        {
            if (string.IsNullOrEmpty(p.Weak) || string.IsNullOrEmpty(p.Strong))
            {
                throw new FormatException(Bad("a pair lacks 'weak' or 'strong'."));
            }

            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(p.Weights ?? string.Empty);
            }
            catch (FormatException e)
            {
                throw new FormatException(Bad($"weights of pair {p.Weak} are not base64."), e);
            }

            if (bytes.Length != dimension * sizeof(float))
            {
                throw new FormatException(Bad($"pair {p.Weak} has {bytes.Length / sizeof(float)} weights; its featurizer needs {dimension}."));
            }

            var calibration = p.Calibration ?? throw new FormatException(Bad($"pair {p.Weak} has no calibration set."));
            try
            {
                calibration.Validate();
            }
            catch (FormatException e)
            {
                throw new FormatException(Bad($"pair {p.Weak}: {e.Message}"), e);
            }

            var weights = MemoryMarshal.Cast<byte, float>(bytes).ToArray();
            result.Add(new DifficultyPairModel(p.Weak, p.Strong, new LogisticModel(weights, p.Bias), calibration)
            {
                Examples = p.Examples,
                GoodEnoughRate = p.GoodEnoughRate,
            });
        }

        return new DifficultyRouterModel(featurizer, file.Training ?? new TrainingSettings(), result, file.Source, file.Created);
    }
}
