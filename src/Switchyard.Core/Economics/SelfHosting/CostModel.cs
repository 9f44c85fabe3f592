namespace Switchyard.Economics;

/// <summary>
/// The cost of a self-hosted deployment as a function of its traffic. Utilization is not assumed: it follows from the
/// request rate and the fleet the peak requires.
/// </summary>
/// <remarks>
/// With <c>r</c> requests/day, <c>o</c> output tokens and <c>i</c> input tokens per request, peak-to-mean <c>p</c>,
/// <c>d</c> days per month, replica throughput <c>C</c> output tokens/s, maximum utilization <c>m</c>, <c>s</c> spare
/// replicas, replica price <c>R</c> $/hour and operations <c>ops</c> $/month:
/// <list type="bullet">
/// <item>mean load <c>λ = r × o ÷ 86,400</c> output tokens/s; peak load <c>λ × p</c>;</item>
/// <item>serving replicas <c>n = max(1, ⌈λ p ÷ (C m)⌉)</c>; replicas paid for <c>N = n + s</c>;</item>
/// <item>fleet utilization <c>U = λ ÷ (N × C)</c>;</item>
/// <item>hours per month <c>H = d × 24</c> (729.6 at the default 30.4 days); monthly cost <c>N × R × H + ops</c>;</item>
/// <item>$/M output tokens = monthly cost ÷ (r d o ÷ 10⁶), which without ops equals
/// <c>R ÷ (C × 3600 × U ÷ 10⁶)</c>; blended $/M tokens divides by <c>r d (i + o) ÷ 10⁶</c>; $/request by <c>r d</c>.</item>
/// </list>
/// A load within 10⁻⁹ replicas of a whole number counts as that number (guards floating-point error at the exact
/// boundary).
/// </remarks>
public static class CostModel
{
    /// <summary>Tolerance when rounding the replica count up: ⌈x − 10⁻⁹⌉.</summary>
    public const double ReplicaRoundingTolerance = 1e-9;

    /// <summary>Costs the deployment at the traffic.</summary>
    /// <param name="profile">The self-hosted option.</param>
    /// <param name="traffic">The traffic it carries.</param>
    /// <returns>Fleet size, utilization and costs.</returns>
    /// <exception cref="EconomicsInputException">The profile or traffic is invalid, or the fleet would exceed <see cref="int.MaxValue"/> replicas.</exception>
    public static SelfHostedCost Evaluate(SelfHostedProfile profile, TrafficProfile traffic)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(traffic);
        profile.Validate();
        traffic.Validate();

        var capacity = profile.OutputTokensPerSecond;
        var mean = traffic.MeanOutputTokensPerSecond;
        var peak = traffic.PeakOutputTokensPerSecond;
        var serving = ServingReplicas(peak, capacity, profile.MaxUtilization);
        var replicas = serving + (long)profile.Redundancy;
        if (replicas > int.MaxValue / Math.Max(1, profile.Gpus))
        {
            throw new EconomicsInputException(Figures.Invariant(
                $"the traffic needs {replicas} replicas of {capacity} output tokens/s; that is beyond what this model handles"));
        }

        var hours = traffic.HoursPerMonth;
        var replicaMonthly = profile.ReplicaMonthlyCost(hours);
        var hardware = replicas * replicaMonthly;
        var ops = profile.OpsMonthly;
        var monthly = hardware + ops;
        var monthlyRequests = traffic.MonthlyRequests;
        var hasTraffic = monthlyRequests > 0;
        return new SelfHostedCost
        {
            MonthlyRequests = monthlyRequests,
            MeanOutputTokensPerSecond = mean,
            PeakOutputTokensPerSecond = peak,
            ReplicaOutputTokensPerSecond = capacity,
            ServingReplicas = (int)serving,
            Replicas = (int)replicas,
            Gpus = (int)replicas * profile.Gpus,
            Utilization = mean / (replicas * capacity),
            PeakUtilization = peak / (serving * capacity),
            HoursPerMonth = hours,
            ReplicaHourlyCost = profile.ReplicaHourlyCost(hours),
            ReplicaMonthlyCost = replicaMonthly,
            HardwareMonthlyCost = hardware,
            OpsMonthlyCost = ops,
            MonthlyCost = monthly,
            CostPerMillionOutputTokens = hasTraffic ? monthly / ((decimal)(monthlyRequests * traffic.OutputTokens) / 1_000_000m) : null,
            CostPerMillionTokens = hasTraffic ? monthly / ((decimal)(monthlyRequests * (traffic.InputTokens + traffic.OutputTokens)) / 1_000_000m) : null,
            CostPerRequest = hasTraffic ? monthly / (decimal)monthlyRequests : null,
        };
    }

    /// <summary>
    /// Serving replicas for a peak load: <c>max(1, ⌈peak ÷ (capacity × maxUtilization) − 10⁻⁹⌉)</c>.
    /// </summary>
    /// <param name="peakOutputTokensPerSecond">Peak load.</param>
    /// <param name="replicaOutputTokensPerSecond">One replica's throughput.</param>
    /// <param name="maxUtilization">Highest load per replica, as a share of its throughput.</param>
    /// <exception cref="EconomicsInputException">The count exceeds <see cref="int.MaxValue"/>.</exception>
    public static long ServingReplicas(double peakOutputTokensPerSecond, double replicaOutputTokensPerSecond, double maxUtilization)
    {
        var exact = peakOutputTokensPerSecond / (replicaOutputTokensPerSecond * maxUtilization);
        var rounded = Math.Ceiling(exact - ReplicaRoundingTolerance);
        if (!(rounded < int.MaxValue))
        {
            throw new EconomicsInputException(Figures.Invariant(
                $"a peak of {peakOutputTokensPerSecond} output tokens/s needs {rounded:G3} replicas of {replicaOutputTokensPerSecond} tokens/s; that is beyond what this model handles"));
        }

        return Math.Max(1L, (long)rounded);
    }

    /// <summary>
    /// The hand formula for one replica: <c>$/M output tokens = pricePerHour ÷ (tokensPerSecond × 3600 × U ÷ 10⁶)</c>.
    /// </summary>
    /// <param name="pricePerHour">Replica price per hour.</param>
    /// <param name="outputTokensPerSecond">Replica throughput at 100% utilization.</param>
    /// <param name="utilization">Share of the hour the replica does work, in (0, 1].</param>
    public static decimal CostPerMillionOutputTokens(decimal pricePerHour, double outputTokensPerSecond, double utilization)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputTokensPerSecond);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(utilization);
        return pricePerHour / ((decimal)(outputTokensPerSecond * 3600.0 * utilization) / 1_000_000m);
    }
}
