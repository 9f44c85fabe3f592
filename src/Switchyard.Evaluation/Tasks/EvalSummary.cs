namespace Switchyard.Evaluation.Tasks;

/// <summary>Per-model totals of outcome records.</summary>
public static class EvalSummary
{
    /// <summary>Summarises <paramref name="records"/> for each of <paramref name="models"/>, in that order.</summary>
    /// <param name="records">The records (e.g. those of one task set).</param>
    /// <param name="models">The models to summarise.</param>
    public static IReadOnlyList<EvalModelSummary> Compute(IEnumerable<OutcomeRecord> records, IReadOnlyList<string> models)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(models);
        var list = records as IReadOnlyCollection<OutcomeRecord> ?? records.ToList();
        return models.Select(model =>
        {
            var outcomes = list.Select(r => r.Outcomes.GetValueOrDefault(model)).OfType<ModelOutcome>().ToList();
            var latencies = outcomes.Select(o => o.LatencyMs).OfType<double>().Order().ToList();
            return new EvalModelSummary(
                model,
                outcomes.Count,
                outcomes.Count == 0 ? null : outcomes.Average(o => o.Score),
                outcomes.Count(o => o.Error is null),
                outcomes.Count(o => o.Error is not null),
                outcomes.Sum(o => o.InputTokens ?? 0),
                outcomes.Sum(o => o.OutputTokens ?? 0),
                outcomes.Sum(o => o.Cost ?? 0m),
                Percentile(latencies, 0.50),
                Percentile(latencies, 0.95));
        }).ToList();
    }

    /// <summary>The nearest-rank percentile of sorted values: the smallest value with at least <paramref name="p"/> of the values at or below it.</summary>
    /// <param name="sorted">Values in ascending order.</param>
    /// <param name="p">The fraction, in (0, 1].</param>
    public static double? Percentile(IReadOnlyList<double> sorted, double p)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0)
        {
            return null;
        }

        var rank = (int)Math.Ceiling(p * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }
}
