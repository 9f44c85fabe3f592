namespace Switchyard.Economics;

/// <summary>
/// Sensitivity tables: self-hosted and hosted monthly cost, fleet, utilization and crossover as one input is scaled by
/// each factor (default ×0.5, ×0.75, ×1, ×1.5, ×2), the others held at the base case.
/// </summary>
/// <remarks>
/// Parameters (<see cref="SensitivityParameters"/>): <c>price_per_hour</c> (the replica's price, see
/// <see cref="SelfHostedProfile.WithReplicaPriceScaled"/>), <c>output_tokens_per_second</c> (replica throughput),
/// <c>requests_per_day</c> (volume; the crossover does not depend on it) and <c>hosted_price</c> (both hosted token
/// prices).
/// </remarks>
public static class Sensitivity
{
    private static readonly double[] DefaultFactorValues = [0.5, 0.75, 1.0, 1.5, 2.0];

    /// <summary>The default factors: 0.5, 0.75, 1, 1.5, 2.</summary>
    public static IReadOnlyList<double> DefaultFactors => DefaultFactorValues;

    /// <summary>One table per parameter, in the order listed in the remarks.</summary>
    /// <param name="profile">The base self-hosted option.</param>
    /// <param name="traffic">The base traffic.</param>
    /// <param name="hosted">The hosted option compared against.</param>
    /// <param name="factors">Multipliers (each greater than 0); <see cref="DefaultFactors"/> when omitted.</param>
    /// <exception cref="EconomicsInputException">An input is invalid, or a factor is not positive.</exception>
    public static IReadOnlyList<SensitivityTable> Analyze(
        SelfHostedProfile profile, TrafficProfile traffic, HostedPrice hosted, IReadOnlyList<double>? factors = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(traffic);
        ArgumentNullException.ThrowIfNull(hosted);
        factors ??= DefaultFactorValues;
        var bad = factors.Where(f => !double.IsFinite(f) || f <= 0).ToList();
        if (bad.Count > 0 || factors.Count == 0)
        {
            throw new EconomicsInputException(Figures.Invariant($"sensitivity factors must be finite and greater than 0 (got {string.Join(", ", factors)})"));
        }

        profile.Validate();
        traffic.Validate();
        hosted.Validate();
        var hours = traffic.HoursPerMonth;
        return
        [
            Table(SensitivityParameters.PricePerHour, factors, f => (profile.WithReplicaPriceScaled(f), traffic, hosted), (p, _, _) => (double)p.ReplicaHourlyCost(hours)),
            Table(SensitivityParameters.OutputTokensPerSecond, factors, f => (profile with { OutputTokensPerSecond = profile.OutputTokensPerSecond * f }, traffic, hosted), (p, _, _) => p.OutputTokensPerSecond),
            Table(SensitivityParameters.RequestsPerDay, factors, f => (profile, traffic.AtRate(traffic.RequestsPerDay * f), hosted), (_, t, _) => t.RequestsPerDay),
            Table(
                SensitivityParameters.HostedPrice,
                factors,
                f => (profile, traffic, hosted with { InputPerMillion = hosted.InputPerMillion * (decimal)f, OutputPerMillion = hosted.OutputPerMillion * (decimal)f }),
                (_, t, h) => (double)h.CostPerRequest(t.InputTokens, t.OutputTokens)),
        ];
    }

    /// <summary>One row: the comparison for a profile, traffic and hosted price.</summary>
    /// <param name="factor">Recorded as <see cref="SensitivityRow.Factor"/>.</param>
    /// <param name="value">Recorded as <see cref="SensitivityRow.Value"/>.</param>
    /// <param name="profile">The self-hosted option.</param>
    /// <param name="traffic">The traffic.</param>
    /// <param name="hosted">The hosted option.</param>
    public static SensitivityRow Row(double factor, double value, SelfHostedProfile profile, TrafficProfile traffic, HostedPrice hosted)
    {
        ArgumentNullException.ThrowIfNull(traffic);
        ArgumentNullException.ThrowIfNull(hosted);
        var self = CostModel.Evaluate(profile, traffic);
        var hostedMonthly = (decimal)traffic.MonthlyRequests * hosted.CostPerRequest(traffic.InputTokens, traffic.OutputTokens);
        var crossover = Crossover.Find(profile, traffic, hosted);
        return new SensitivityRow
        {
            Factor = factor,
            Value = value,
            SelfHostedMonthly = self.MonthlyCost,
            HostedMonthly = hostedMonthly,
            Replicas = self.Replicas,
            Utilization = self.Utilization,
            CrossoverUtilization = crossover.BreakEvenUtilization,
            CrossoverMonthlyRequests = crossover.BreakEvenMonthlyRequests,
            Cheaper = self.MonthlyCost <= hostedMonthly ? Verdicts.SelfHost : Verdicts.Hosted,
        };
    }

    private static SensitivityTable Table(
        string parameter,
        IReadOnlyList<double> factors,
        Func<double, (SelfHostedProfile Profile, TrafficProfile Traffic, HostedPrice Hosted)> vary,
        Func<SelfHostedProfile, TrafficProfile, HostedPrice, double> value)
    {
        var rows = new List<SensitivityRow>(factors.Count);
        foreach (var factor in factors)
        {
            var (p, t, h) = vary(factor);
            rows.Add(Row(factor, value(p, t, h), p, t, h));
        }

        return new SensitivityTable(parameter, rows);
    }
}
