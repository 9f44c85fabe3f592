using System.Globalization;

namespace Switchyard.Routing.Difficulty;

/// <summary>
/// Finds the threshold on P(good enough) that meets a target on held-out predictions: a share of calls to the
/// stronger model, or a fraction of the gap between the weak and strong model's quality (PGR).
/// </summary>
/// <remarks>
/// Sending the k prompts with the lowest P(good enough) to the strong model, the quality is the strong score on those
/// and the weak score on the rest. The threshold sits halfway between the k-th and (k+1)-th prediction, so exactly
/// those k escalate on the calibration set (ties escalate together).
/// </remarks>
public static class ThresholdCalibrator
{
    /// <summary>The threshold that escalates <paramref name="share"/> of the calibration prompts (0–1).</summary>
    public static CalibratedThreshold ForStrongShare(CalibrationSet set, double share)
    {
        ArgumentNullException.ThrowIfNull(set);
        if (!(share is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(share), share, "The strong-model share must be between 0 and 1.");
        }

        var order = Sorted(set);
        var k = (int)Math.Round(share * order.Length, MidpointRounding.AwayFromZero);
        return At(set, order, k, "strong_share " + share.ToString("0.###", CultureInfo.InvariantCulture));
    }

    /// <summary>The threshold with the fewest escalations whose PGR on the calibration prompts reaches <paramref name="pgr"/> (0–1).</summary>
    public static CalibratedThreshold ForQuality(CalibrationSet set, double pgr)
    {
        ArgumentNullException.ThrowIfNull(set);
        if (!(pgr is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(pgr), pgr, "The quality target (PGR) must be between 0 and 1.");
        }

        var target = "pgr " + pgr.ToString("0.###", CultureInfo.InvariantCulture);
        var order = Sorted(set);
        var n = order.Length;
        var weakMean = set.Weak.Average();
        var strongMean = set.Strong.Average();
        if (strongMean <= weakMean)
        {
            // The stronger model is no better on this task: nothing is worth escalating.
            return At(set, order, 0, target);
        }

        // quality(k) = (Σ_{i<k} strong + Σ_{i≥k} weak) / n, increasing k one prompt at a time.
        var sum = set.Weak.Sum();
        var needed = weakMean + pgr * (strongMean - weakMean);
        for (var k = 0; k <= n; k++)
        {
            if (sum / n >= needed - 1e-12)
            {
                return At(set, order, k, target);
            }

            if (k < n)
            {
                sum += set.Strong[order[k]] - set.Weak[order[k]];
            }
        }

        return At(set, order, n, target);
    }

    private static int[] Sorted(CalibrationSet set)
    {
        set.Validate();
        var order = Enumerable.Range(0, set.Count).ToArray();
        Array.Sort(order, (a, b) => set.PGood[a].CompareTo(set.PGood[b]));
        return order;
    }

    private static CalibratedThreshold At(CalibrationSet set, int[] order, int k, string target)
    {
        var n = order.Length;
        var threshold = k == 0 ? 0 : k == n ? 1 : (set.PGood[order[k - 1]] + set.PGood[order[k]]) / 2;
        var result = new CalibratedThreshold(threshold, 0, 0, target);

        // Report what this threshold really does on the set (ties may move more prompts than k).
        double quality = 0;
        var escalated = 0;
        for (var i = 0; i < n; i++)
        {
            var up = result.Escalates(set.PGood[i]);
            escalated += up ? 1 : 0;
            quality += up ? set.Strong[i] : set.Weak[i];
        }

        var weakMean = set.Weak.Average();
        var gap = set.Strong.Average() - weakMean;
        var pgr = gap > 0 ? ((quality / n) - weakMean) / gap : 1;
        return result with { StrongShare = (double)escalated / n, Pgr = pgr };
    }
}
