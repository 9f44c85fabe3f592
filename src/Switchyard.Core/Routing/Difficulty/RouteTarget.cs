namespace Switchyard.Routing.Difficulty;

/// <summary>
/// What a difficulty route's threshold is calibrated to — exactly one of: the share of requests that reach the
/// strongest candidate, the fraction of the cheapest-to-strongest quality gap to recover (PGR), or the mean cost per
/// request in dollars.
/// </summary>
public sealed record RouteTarget
{
    private RouteTarget(double? strongShare, double? quality, double? costBudget)
    {
        StrongShare = strongShare;
        QualityTarget = quality;
        CostBudget = costBudget;
    }

    /// <summary>Share of requests (0–1) for the strongest candidate, when that is the target.</summary>
    public double? StrongShare { get; }

    /// <summary>PGR (0–1) to recover, when that is the target.</summary>
    public double? QualityTarget { get; }

    /// <summary>Mean dollars per request, when that is the target.</summary>
    public double? CostBudget { get; }

    /// <summary>The target from a route's configured values; exactly one must be given.</summary>
    /// <exception cref="ArgumentException">None or several were given, or a value is out of range.</exception>
    public static RouteTarget From(double? strongShare, double? qualityTarget, double? costBudget)
    {
        var given = (strongShare is null ? 0 : 1) + (qualityTarget is null ? 0 : 1) + (costBudget is null ? 0 : 1);
        if (given != 1)
        {
            throw new ArgumentException("give exactly one target: StrongShare (share of requests to the strongest candidate), QualityTarget (PGR) or CostBudget (mean $ per request).");
        }

        if (strongShare is { } s && !(s is >= 0 and <= 1))
        {
            throw new ArgumentException($"StrongShare {s} is outside 0–1.");
        }

        if (qualityTarget is { } q && !(q is >= 0 and <= 1))
        {
            throw new ArgumentException($"QualityTarget {q} is outside 0–1.");
        }

        if (costBudget is { } c && (!(c >= 0) || double.IsInfinity(c)))
        {
            throw new ArgumentException($"CostBudget {c} must be a finite amount ≥ 0.");
        }

        return new RouteTarget(strongShare, qualityTarget, costBudget);
    }

    /// <summary>The shared threshold that meets this target on <paramref name="set"/>.</summary>
    public CalibratedThreshold Calibrate(RouteCalibrationSet set) =>
        StrongShare is { } share ? RouteThresholdCalibrator.ForStrongShare(set, share)
        : QualityTarget is { } pgr ? RouteThresholdCalibrator.ForQuality(set, pgr)
        : RouteThresholdCalibrator.ForCostBudget(set, CostBudget!.Value);
}
