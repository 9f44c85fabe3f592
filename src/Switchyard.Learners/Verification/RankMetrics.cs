namespace Switchyard.Routing.Learners.Verification;

/// <summary>Rank statistics of predictions against 0/1 labels.</summary>
internal static class RankMetrics
{
    /// <summary>
    /// ROC AUC: the probability that a random positive scores above a random negative (ties count half), by the
    /// Mann–Whitney rank sum with average ranks; NaN when one class is absent. Labels ≥ 0.5 are positive.
    /// </summary>
    public static double Auc(IReadOnlyList<double> scores, IReadOnlyList<double> labels)
    {
        var n = scores.Count;
        var order = Enumerable.Range(0, n).OrderBy(i => scores[i]).ToArray();
        var positives = 0;
        var rankSum = 0.0;
        var k = 0;
        while (k < n)
        {
            var end = k;
            while (end + 1 < n && scores[order[end + 1]] == scores[order[k]])
            {
                end++;
            }

            var rank = ((k + end) / 2.0) + 1;
            for (var j = k; j <= end; j++)
            {
                if (labels[order[j]] >= 0.5)
                {
                    positives++;
                    rankSum += rank;
                }
            }

            k = end + 1;
        }

        var negatives = n - positives;
        if (positives == 0 || negatives == 0)
        {
            return double.NaN;
        }

        return (rankSum - (positives * (positives + 1) / 2.0)) / ((double)positives * negatives);
    }
}
