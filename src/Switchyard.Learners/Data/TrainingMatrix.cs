namespace Switchyard.Routing.Learners;

/// <summary>Flat row-major copies of a <see cref="TrainingSet"/>'s embeddings and values, as the learners' maths reads them.</summary>
internal static class TrainingMatrix
{
    /// <summary>The embeddings, n × <see cref="TrainingSet.EmbeddingDimensions"/>.</summary>
    public static float[] Embeddings(TrainingSet data)
    {
        var d = data.EmbeddingDimensions;
        var flat = new float[data.Count * d];
        for (var i = 0; i < data.Count; i++)
        {
            data.Features[i].Embedding.CopyTo(flat, i * d);
        }

        return flat;
    }

    /// <summary>The target values, n × targets, NaN where unknown.</summary>
    public static float[] Values(TrainingSet data)
    {
        var t = data.Targets.Count;
        var flat = new float[data.Count * t];
        for (var i = 0; i < data.Count; i++)
        {
            for (var j = 0; j < t; j++)
            {
                flat[(i * t) + j] = (float)data.Value(i, j);
            }
        }

        return flat;
    }

    /// <summary>Throws unless the set carries embeddings (the embedding learners need them).</summary>
    public static void RequireEmbeddings(TrainingSet data, string learner)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Count == 0)
        {
            throw new ArgumentException($"{learner}: the training set is empty.", nameof(data));
        }

        if (data.EmbeddingDimensions == 0)
        {
            throw new ArgumentException($"{learner}: the training prompts carry no embeddings (encode them with an embedder).", nameof(data));
        }
    }

    /// <summary>
    /// Folds for choosing hyperparameters inside a fit: <paramref name="folds"/> grouped folds, fewer when there are
    /// fewer groups; null when there are fewer than two groups (nothing to cross-validate).
    /// </summary>
    public static int[]? TuningFolds(TrainingSet data, int folds, int seed)
    {
        var groups = data.Groups.Distinct().Count();
        return groups < 2 ? null : GroupedFolds.Assign(data.Groups, Math.Min(folds, groups), seed);
    }

    /// <summary>Per fold, each target's mean over the rows outside that fold (the fallback a fold's model would use).</summary>
    public static double[][] OutOfFoldMeans(TrainingSet data, int[] foldOfRow)
    {
        var folds = foldOfRow.Max() + 1;
        var means = new double[folds][];
        for (var f = 0; f < folds; f++)
        {
            means[f] = data.Subset(GroupedFolds.Rows(foldOfRow, f, inFold: false)).Means();
        }

        return means;
    }
}
