namespace Switchyard.Evaluation.Simulation;

/// <summary>
/// How two models compare on the prompts both were scored on: how many there are, each model's mean score and, when
/// every one of those prompts records both costs, each model's mean cost. Used to check that the "weak" model of a
/// simulation is really the weaker one.
/// </summary>
/// <param name="Prompts">Prompts with an outcome for both models.</param>
/// <param name="WeakMeanScore">The first model's mean score on them (NaN when there are none).</param>
/// <param name="StrongMeanScore">The second model's mean score on them (NaN when there are none).</param>
/// <param name="WeakMeanCost">The first model's mean cost in US dollars, when every such prompt records both costs.</param>
/// <param name="StrongMeanCost">The second model's mean cost in US dollars, likewise.</param>
public sealed record PairStatistics(int Prompts, double WeakMeanScore, double StrongMeanScore, double? WeakMeanCost, double? StrongMeanCost)
{
    /// <summary>Compares <paramref name="weak"/> with <paramref name="strong"/> on <paramref name="records"/>.</summary>
    /// <param name="records">The outcome rows.</param>
    /// <param name="weak">The model meant to be the cheaper, weaker one.</param>
    /// <param name="strong">The model meant to be the stronger one.</param>
    public static PairStatistics Compute(IEnumerable<OutcomeRecord> records, string weak, string strong)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(weak);
        ArgumentNullException.ThrowIfNull(strong);
        var count = 0;
        double weakScore = 0, strongScore = 0;
        decimal weakCost = 0, strongCost = 0;
        var costs = true;
        foreach (var record in records)
        {
            if (!record.Outcomes.TryGetValue(weak, out var w) || !record.Outcomes.TryGetValue(strong, out var s))
            {
                continue;
            }

            count++;
            weakScore += w.Score;
            strongScore += s.Score;
            if (w.Cost is { } wc && s.Cost is { } sc)
            {
                weakCost += wc;
                strongCost += sc;
            }
            else
            {
                costs = false;
            }
        }

        return count == 0
            ? new PairStatistics(0, double.NaN, double.NaN, null, null)
            : new PairStatistics(
                count,
                weakScore / count,
                strongScore / count,
                costs ? (double)(weakCost / count) : null,
                costs ? (double)(strongCost / count) : null);
    }
}
