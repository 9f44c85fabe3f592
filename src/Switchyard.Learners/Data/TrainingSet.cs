using Switchyard.Evaluation;

namespace Switchyard.Routing.Learners;

/// <summary>
/// What learners fit on: per prompt its <see cref="PromptFeatures"/>, the value of every <see cref="LearnerTarget"/>
/// (NaN where a model has no outcome) and the group it belongs to (prompts of one group are never split across folds).
/// </summary>
/// <remarks>Immutable; the feature arrays are shared with the caller and with subsets, not copied, and must not be changed.</remarks>
public sealed class TrainingSet
{
    private readonly PromptFeatures[] _features;
    private readonly double[] _values;
    private readonly int[] _groups;

    /// <summary>Creates a set from features, targets and a row-major value matrix.</summary>
    /// <param name="features">One entry per prompt; every embedding of the same length.</param>
    /// <param name="targets">What is predicted.</param>
    /// <param name="values">One row per prompt, one value per target: in [0, 1], or NaN when unknown.</param>
    /// <param name="groups">One group number per prompt (null: every prompt its own group).</param>
    public TrainingSet(IReadOnlyList<PromptFeatures> features, IReadOnlyList<LearnerTarget> targets, IReadOnlyList<double[]> values, IReadOnlyList<int>? groups = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(values);
        if (targets.Count == 0)
        {
            throw new ArgumentException("At least one target is needed.", nameof(targets));
        }

        if (targets.Distinct().Count() != targets.Count)
        {
            throw new ArgumentException("A target is listed twice.", nameof(targets));
        }

        if (values.Count != features.Count || (groups is not null && groups.Count != features.Count))
        {
            throw new ArgumentException("features, values and groups must have one entry per prompt.", nameof(values));
        }

        var t = targets.Count;
        _features = [.. features];
        _values = new double[features.Count * t];
        EmbeddingDimensions = _features.Length > 0 ? _features[0].Embedding.Length : 0;
        for (var i = 0; i < _features.Length; i++)
        {
            var x = _features[i] ?? throw new ArgumentException($"features[{i}] is null.", nameof(features));
            x.Validate();
            if (x.Embedding.Length != EmbeddingDimensions)
            {
                throw new ArgumentException($"Prompt {i} has a {x.Embedding.Length}-dimensional embedding, prompt 0 a {EmbeddingDimensions}-dimensional one.", nameof(features));
            }

            var row = values[i] ?? throw new ArgumentException($"values[{i}] is null.", nameof(values));
            if (row.Length != t)
            {
                throw new ArgumentException($"values[{i}] has {row.Length} values for {t} targets.", nameof(values));
            }

            for (var j = 0; j < t; j++)
            {
                if (!(double.IsNaN(row[j]) || row[j] is >= 0 and <= 1))
                {
                    throw new ArgumentException($"values[{i}][{j}] = {row[j]} is outside [0, 1].", nameof(values));
                }

                _values[(i * t) + j] = row[j];
            }
        }

        Targets = [.. targets];
        _groups = groups is null ? [.. Enumerable.Range(0, _features.Length)] : [.. groups];
    }

    private TrainingSet(PromptFeatures[] features, LearnerTarget[] targets, double[] values, int[] groups, int dimensions)
    {
        _features = features;
        Targets = targets;
        _values = values;
        _groups = groups;
        EmbeddingDimensions = dimensions;
    }

    /// <summary>Number of prompts.</summary>
    public int Count => _features.Length;

    /// <summary>What is predicted, in value-column order.</summary>
    public IReadOnlyList<LearnerTarget> Targets { get; }

    /// <summary>The prompts' features.</summary>
    public IReadOnlyList<PromptFeatures> Features => _features;

    /// <summary>Each prompt's group.</summary>
    public IReadOnlyList<int> Groups => _groups;

    /// <summary>Length of every embedding (0 when the prompts carry none).</summary>
    public int EmbeddingDimensions { get; }

    /// <summary>
    /// Builds a set from recorded outcomes with features computed by <paramref name="encoder"/> (one batch embedding
    /// call); prompts with the same id or the same conversation form one group.
    /// </summary>
    public static TrainingSet Build(IReadOnlyList<OutcomeRecord> records, IReadOnlyList<LearnerTarget> targets, PromptEncoder encoder, bool embed = true)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(encoder);
        return Create(records, encoder.EncodeMany([.. records.Select(r => r.Messages)], embed), targets);
    }

    /// <summary>Builds a set from recorded outcomes and their already computed features (same order).</summary>
    public static TrainingSet Create(IReadOnlyList<OutcomeRecord> records, IReadOnlyList<PromptFeatures> features, IReadOnlyList<LearnerTarget> targets)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(targets);
        var values = records.Select(r => targets.Select(t => t.ValueOf(r)).ToArray()).ToList();
        return new TrainingSet(features, targets, values, PromptGroups.Of(records));
    }

    /// <summary>The value of target <paramref name="target"/> on prompt <paramref name="row"/> (NaN when unknown).</summary>
    public double Value(int row, int target) => _values[(row * Targets.Count) + target];

    /// <summary>The column of <paramref name="target"/>, or −1 when the set does not hold it.</summary>
    public int IndexOf(LearnerTarget target)
    {
        for (var j = 0; j < Targets.Count; j++)
        {
            if (Targets[j] == target)
            {
                return j;
            }
        }

        return -1;
    }

    /// <summary>The mean of a target over the prompts where it is known; 0.5 (no information) when it is known nowhere.</summary>
    public double Mean(int target)
    {
        var (sum, count) = (0.0, 0);
        for (var i = 0; i < Count; i++)
        {
            var v = Value(i, target);
            if (!double.IsNaN(v))
            {
                sum += v;
                count++;
            }
        }

        return count > 0 ? sum / count : 0.5;
    }

    /// <summary>The means of every target (see <see cref="Mean"/>).</summary>
    public double[] Means() => [.. Enumerable.Range(0, Targets.Count).Select(Mean)];

    /// <summary>The prompts at <paramref name="rows"/>, in that order, with their groups.</summary>
    public TrainingSet Subset(IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var t = Targets.Count;
        var features = new PromptFeatures[rows.Count];
        var values = new double[rows.Count * t];
        var groups = new int[rows.Count];
        for (var k = 0; k < rows.Count; k++)
        {
            var i = rows[k];
            features[k] = _features[i];
            groups[k] = _groups[i];
            Array.Copy(_values, i * t, values, k * t, t);
        }

        return new TrainingSet(features, [.. Targets], values, groups, EmbeddingDimensions);
    }
}
