using System.Globalization;

namespace Switchyard.Routing.Difficulty;

/// <summary>
/// Calibrates the one threshold a route of N candidates shares: a request goes to the cheapest candidate whose
/// P(good enough) reaches it, else to the strongest. On held-out predictions (<see cref="RouteCalibrationSet"/>) it
/// finds the threshold that meets a target — a share of requests to the strongest candidate, a fraction of the
/// quality gap between the cheapest and the strongest (PGR), or a mean cost per request — and reports what that
/// threshold achieves there.
/// </summary>
/// <remarks>
/// Every distinct prediction (and 0 and 1) is tried; raising the threshold moves requests from cheaper to stronger
/// candidates. With two candidates this is <see cref="ThresholdCalibrator"/>'s sweep.
/// </remarks>
public static class RouteThresholdCalibrator
{
    /// <summary>The threshold whose share of requests to the strongest candidate is nearest <paramref name="share"/> (ties: the lower share).</summary>
    public static CalibratedThreshold ForStrongShare(RouteCalibrationSet set, double share)
    {
        if (!(share is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(share), share, "The strong-model share must be between 0 and 1.");
        }

        var points = Sweep(set);
        var best = points.OrderBy(p => Math.Abs(p.StrongShare - share)).ThenBy(p => p.StrongShare).ThenBy(p => p.Threshold).First();
        return best.ToThreshold("strong_share " + Format(share));
    }

    /// <summary>The cheapest threshold (by mean cost on the set) whose PGR reaches <paramref name="pgr"/>.</summary>
    public static CalibratedThreshold ForQuality(RouteCalibrationSet set, double pgr)
    {
        if (!(pgr is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(pgr), pgr, "The quality target (PGR) must be between 0 and 1.");
        }

        var points = Sweep(set);
        var meeting = points.Where(p => p.Pgr >= pgr - 1e-12).ToList();
        var best = meeting.Count > 0
            ? meeting.OrderBy(p => p.MeanCost).ThenBy(p => p.StrongShare).ThenBy(p => p.Threshold).First()
            : points.OrderByDescending(p => p.Pgr).ThenBy(p => p.MeanCost).First();
        return best.ToThreshold("pgr " + Format(pgr));
    }

    /// <summary>The best-quality threshold whose mean cost per request on the set stays within <paramref name="budget"/> (the cheapest when none does).</summary>
    public static CalibratedThreshold ForCostBudget(RouteCalibrationSet set, double budget)
    {
        if (!(budget >= 0) || double.IsInfinity(budget))
        {
            throw new ArgumentOutOfRangeException(nameof(budget), budget, "The cost budget must be a finite amount ≥ 0.");
        }

        var points = Sweep(set);
        var within = points.Where(p => p.MeanCost <= budget + 1e-15).ToList();
        var best = within.Count > 0
            ? within.OrderByDescending(p => p.Quality).ThenBy(p => p.MeanCost).ThenBy(p => p.Threshold).First()
            : points.OrderBy(p => p.MeanCost).ThenByDescending(p => p.Quality).First();
        return best.ToThreshold("cost_budget " + Format(budget));
    }

    /// <summary>What every candidate threshold achieves on the set, lowest threshold first.</summary>
    public static IReadOnlyList<RoutePoint> Sweep(RouteCalibrationSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        set.Validate();
        var thresholds = new SortedSet<double> { 0, 1 };
        foreach (var row in set.PGood)
        {
            foreach (var p in row)
            {
                thresholds.Add(p);
            }
        }

        // Midpoints between consecutive distinct predictions, so each threshold separates them cleanly.
        var values = thresholds.ToArray();
        var candidates = new List<double> { 0 };
        for (var i = 1; i < values.Length; i++)
        {
            candidates.Add((values[i - 1] + values[i]) / 2);
        }

        candidates.Add(1);
        var n = set.Count;
        var cheapestMean = set.Scores[0].Average();
        var strongestMean = set.Scores[^1].Average();
        var gap = strongestMean - cheapestMean;
        var result = new List<RoutePoint>(candidates.Count);
        foreach (var t in candidates.Distinct())
        {
            var threshold = new CalibratedThreshold(t, 0, 0, string.Empty);
            double quality = 0, cost = 0;
            var toStrongest = 0;
            for (var i = 0; i < n; i++)
            {
                var chosen = Choose(set, threshold, i);
                quality += set.Scores[chosen][i];
                cost += set.Costs[chosen][i];
                toStrongest += chosen == set.Models - 1 ? 1 : 0;
            }

            quality /= n;
            result.Add(new RoutePoint(t, (double)toStrongest / n, gap > 0 ? (quality - cheapestMean) / gap : 1, quality, cost / n));
        }

        return result;
    }

    /// <summary>The candidate a prompt of the set goes to at <paramref name="threshold"/>.</summary>
    private static int Choose(RouteCalibrationSet set, CalibratedThreshold threshold, int prompt)
    {
        for (var m = 0; m < set.PGood.Length; m++)
        {
            if (!threshold.Escalates(set.PGood[m][prompt]))
            {
                return m;
            }
        }

        return set.Models - 1;
    }

    private static string Format(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);
}

/// <summary>What one shared threshold achieves on a calibration set.</summary>
/// <param name="Threshold">The threshold (escalate when P(good enough) &lt; it).</param>
/// <param name="StrongShare">Share of prompts sent to the strongest candidate.</param>
/// <param name="Pgr">Quality gap recovered between the cheapest and the strongest candidate.</param>
/// <param name="Quality">Mean quality.</param>
/// <param name="MeanCost">Mean cost per prompt.</param>
public sealed record RoutePoint(double Threshold, double StrongShare, double Pgr, double Quality, double MeanCost)
{
    /// <summary>As a <see cref="CalibratedThreshold"/> calibrated to <paramref name="target"/>.</summary>
    public CalibratedThreshold ToThreshold(string target) => new(Threshold, StrongShare, Pgr, target) { MeanCost = MeanCost, Quality = Quality };
}
