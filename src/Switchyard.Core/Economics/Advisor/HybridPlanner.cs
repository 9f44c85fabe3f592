namespace Switchyard.Economics;

/// <summary>
/// The hybrid option: self-host the base load, send the peaks (and requests that need the hosted model) hosted.
/// </summary>
/// <remarks>
/// <para>
/// <b>Load model.</b> Only the mean and the peak-to-mean ratio <c>p</c> are known, so the load over the month is
/// modelled by a linear load-duration curve (load sorted from highest to lowest, as a function of the share of time
/// x ∈ [0, 1]): <c>L(x) = max(0, P − s·x)</c> with peak <c>P = p × mean</c> and slope <c>s</c> set so its average is the
/// mean — <c>s = 2 (p − 1) × mean</c> for p ≤ 2 (the load never drops below <c>(2 − p) × mean</c>), <c>s = p² × mean ÷ 2</c>
/// for p &gt; 2 (idle for the share <c>1 − 2 ÷ p</c> of the time). The share of the load above a capacity <c>K</c>
/// (in units of the mean) is <c>(p − K)² ÷ (2 s)</c> while K is above the curve's low end, <c>1 − K</c> below it, 0
/// for K ≥ p (see <see cref="OverflowShare"/>).
/// </para>
/// <para>
/// <b>Plan.</b> The share <c>q</c> (<c>hybrid_hosted_share</c>) always goes hosted; the rest, <c>(1 − q)</c> of the
/// load with the same shape, is served by k base replicas of capacity <c>throughput × max_utilization</c> each, the
/// overflow above it hosted. Base replicas carry no spares (the hosted API is the failover; the hosted cost of
/// failover periods is not counted). Monthly cost(k) =
/// <c>k × replica monthly + (k &gt; 0 ? ops : 0) + [q + (1 − q) × overflow(k)] × monthly requests × hosted cost per
/// request</c>. k runs from 0 (all hosted) to the replicas the self-hostable peak needs (no overflow) and the cheapest
/// is taken (ties: fewer replicas); the cost is convex in k ≥ 1, so a bisection on its increments finds it. With
/// q = 0 the hybrid never costs more than hosting (k = 0) or than self-hosting (k = serving replicas, without spares).
/// </para>
/// </remarks>
public static class HybridPlanner
{
    /// <summary>
    /// Share of the load above a capacity under the linear load-duration curve for peak-to-mean <paramref name="peakToMean"/>.
    /// </summary>
    /// <param name="peakToMean">Peak ÷ mean load (1 or more).</param>
    /// <param name="capacityOverMean">The capacity in units of the mean load (0 or more).</param>
    /// <returns>Mean load above the capacity ÷ mean load, in [0, 1].</returns>
    public static double OverflowShare(double peakToMean, double capacityOverMean)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(peakToMean, 1.0);
        ArgumentOutOfRangeException.ThrowIfNegative(capacityOverMean);
        var p = peakToMean;
        var k = capacityOverMean;
        if (k >= p)
        {
            return 0;
        }

        var slope = p <= 2 ? 2 * (p - 1) : p * p / 2;
        if (slope <= 0)
        {
            return Math.Max(0, 1 - k); // flat load (p = 1)
        }

        var crossing = (p - k) / slope; // share of time the load is above k
        return crossing <= 1 ? (p - k) * (p - k) / (2 * slope) : 1 - k;
    }

    /// <summary>The cheapest hybrid for the traffic.</summary>
    /// <param name="profile">The self-hosted option (its redundancy is not used: the hosted API is the failover).</param>
    /// <param name="traffic">The traffic.</param>
    /// <param name="hosted">The hosted option.</param>
    /// <param name="alwaysHostedShare">Share of requests that always go hosted, in [0, 1].</param>
    /// <exception cref="EconomicsInputException">An input is invalid.</exception>
    public static HybridPlan Plan(SelfHostedProfile profile, TrafficProfile traffic, HostedPrice hosted, double alwaysHostedShare = 0)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(traffic);
        ArgumentNullException.ThrowIfNull(hosted);
        profile.Validate();
        traffic.Validate();
        hosted.Validate();
        var shareProblems = new List<string>();
        TrafficProfile.Check(shareProblems, "hybrid_hosted_share", alwaysHostedShare, 0, 1, minInclusive: true);
        if (shareProblems.Count > 0)
        {
            throw new EconomicsInputException(shareProblems);
        }

        var q = alwaysHostedShare;
        var replicaMonthly = profile.ReplicaMonthlyCost(traffic.HoursPerMonth);
        var ops = profile.OpsMonthly;
        var hostedAll = (decimal)traffic.MonthlyRequests * hosted.CostPerRequest(traffic.InputTokens, traffic.OutputTokens);
        var selfMean = (1 - q) * traffic.MeanOutputTokensPerSecond;
        var replicaCapacity = profile.OutputTokensPerSecond * profile.MaxUtilization;
        var maxReplicas = selfMean > 0 ? CostModel.ServingReplicas(selfMean * traffic.PeakToMean, profile.OutputTokensPerSecond, profile.MaxUtilization) : 0;

        double Overflow(long k) => selfMean > 0 ? OverflowShare(traffic.PeakToMean, k * replicaCapacity / selfMean) : 0;
        decimal Cost(long k) => (k * replicaMonthly) + (k > 0 ? ops : 0m) + ((decimal)(q + ((1 - q) * Overflow(k))) * hostedAll);

        long best = 0;
        if (maxReplicas > 0)
        {
            // Smallest k in [1, max] whose next replica no longer pays: the minimum of a convex cost over k ≥ 1.
            long lo = 1;
            var hi = maxReplicas;
            while (lo < hi)
            {
                var mid = lo + ((hi - lo) / 2);
                if (Cost(mid + 1) >= Cost(mid))
                {
                    hi = mid;
                }
                else
                {
                    lo = mid + 1;
                }
            }

            best = Cost(lo) < Cost(0) ? lo : 0;
        }

        var overflow = Overflow(best);
        var hostedShare = q + ((1 - q) * overflow);
        var selfMonthly = (best * replicaMonthly) + (best > 0 ? ops : 0m);
        var hostedMonthly = (decimal)hostedShare * hostedAll;
        return new HybridPlan
        {
            BaseReplicas = (int)best,
            AlwaysHostedShare = q,
            OverflowShare = overflow,
            HostedShare = hostedShare,
            BaseUtilization = best > 0 ? selfMean * (1 - overflow) / (best * profile.OutputTokensPerSecond) : 0,
            SelfHostedMonthly = selfMonthly,
            HostedMonthly = hostedMonthly,
            MonthlyCost = selfMonthly + hostedMonthly,
        };
    }
}
