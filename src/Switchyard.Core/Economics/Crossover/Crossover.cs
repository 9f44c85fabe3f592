namespace Switchyard.Economics;

/// <summary>
/// Break-even points between a self-hosted option and hosted options, for a traffic shape (input and output tokens per
/// request, peak-to-mean, days per month; its request rate is ignored).
/// </summary>
/// <remarks>
/// <para>
/// <b>U* (break-even utilization).</b> With replica price <c>R</c> $/hour, throughput <c>C</c> output tokens/s, and
/// hosted cost per request <c>c</c> for <c>o</c> output tokens (so <c>h = c ÷ o</c> dollars per output token of the
/// mix): a replica busy a share U of the hour costs <c>R ÷ (C × 3600 × U)</c> per output token, which equals <c>h</c>
/// at <c>U* = R ÷ (C × 3600 × h)</c>. It ignores spares and operations; the volume below includes them.
/// </para>
/// <para>
/// <b>Break-even volume.</b> Self-hosted monthly cost <c>S(V)</c> is a step function of the monthly volume V (whole
/// replicas: <c>S = (max(1, ⌈V ÷ Q⌉) + spares) × R × hours + ops</c>, where
/// <c>Q = C × max_utilization ÷ (o × peak_to_mean) × 86,400 × days</c> is the monthly volume one serving replica
/// carries at the peak limit); hosted cost <c>c × V</c> is linear. The reported volume is the <em>first</em> V at which
/// <c>S(V) ≤ c × V</c>. Just above it, adding a replica can make self-hosting dearer again for a while (the step
/// rises above the line) when the hosted margin per replica is thin; the point reported is still the first crossing.
/// </para>
/// <para>
/// The code finds it by search over the volume using <see cref="CostModel.Evaluate"/>: doubling then bisection over the
/// replica count k for the first step whose right end <c>k × Q</c> is cheaper self-hosted (the condition
/// <c>k (c Q − R·hours) ≥ spares × R·hours + ops</c> is monotone in k), then bisection for the volume within that step
/// (on which S is constant) to a relative 10⁻¹². In closed form this is <c>V* = ((k* + spares) R·hours + ops) ÷ c</c> with
/// <c>k* = max(1, ⌈(spares × R·hours + ops) ÷ (c Q − R·hours)⌉)</c>, which exists only when <c>c Q &gt; R·hours</c>,
/// i.e. when U* is below the ceiling <c>max_utilization ÷ peak_to_mean</c>. Without operations the fleet utilization at
/// V* equals U*. The search stops at <see cref="TrafficProfile.MaxRequestsPerDay"/> × days or 10⁹ replicas.
/// </para>
/// </remarks>
public static class Crossover
{
    /// <summary>Most serving replicas the volume search considers.</summary>
    public const long MaxSearchReplicas = 1_000_000_000;

    /// <summary>Break-even points against each hosted option.</summary>
    /// <param name="profile">The self-hosted option.</param>
    /// <param name="shape">The traffic shape (its request rate is ignored).</param>
    /// <param name="hostedOptions">The hosted options.</param>
    public static IReadOnlyList<CrossoverPoint> FindAll(SelfHostedProfile profile, TrafficProfile shape, IEnumerable<HostedPrice> hostedOptions)
    {
        ArgumentNullException.ThrowIfNull(hostedOptions);
        return [.. hostedOptions.Select(h => Find(profile, shape, h))];
    }

    /// <summary>The break-even point against one hosted option.</summary>
    /// <param name="profile">The self-hosted option.</param>
    /// <param name="shape">The traffic shape (its request rate is ignored).</param>
    /// <param name="hosted">The hosted option.</param>
    /// <exception cref="EconomicsInputException">An input is invalid.</exception>
    public static CrossoverPoint Find(SelfHostedProfile profile, TrafficProfile shape, HostedPrice hosted)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(hosted);
        profile.Validate();
        shape.Validate();
        hosted.Validate();

        var hours = shape.HoursPerMonth;
        var replicaHourly = profile.ReplicaHourlyCost(hours);
        var perRequest = hosted.CostPerRequest(shape.InputTokens, shape.OutputTokens);
        var hostedPerMillionOutput = hosted.PerMillionOutputTokensOfMix(shape.InputTokens, shape.OutputTokens);
        var replicaPerMillionAtFull = CostModel.CostPerMillionOutputTokens(replicaHourly, profile.OutputTokensPerSecond, 1.0);
        double? uStar = hostedPerMillionOutput > 0 ? (double)(replicaPerMillionAtFull / hostedPerMillionOutput) : null;

        var volume = perRequest > 0 ? FirstCheaperVolume(profile, shape, perRequest) : null;
        SelfHostedCost? atBreakEven = volume is { } v ? CostModel.Evaluate(profile, shape.AtMonthlyVolume(v)) : null;
        return new CrossoverPoint
        {
            HostedModel = hosted.Id,
            HostedCostPerRequest = perRequest,
            HostedPerMillionOutputTokens = hostedPerMillionOutput,
            ReplicaHourlyCost = replicaHourly,
            ReplicaPerMillionOutputTokensAtFullLoad = replicaPerMillionAtFull,
            BreakEvenUtilization = uStar,
            UtilizationCeiling = profile.MaxUtilization / shape.PeakToMean,
            BreakEvenMonthlyRequests = volume,
            BreakEvenRequestsPerDay = volume / shape.DaysPerMonth,
            BreakEvenReplicas = atBreakEven?.Replicas,
            BreakEvenMonthlyCost = atBreakEven?.MonthlyCost,
        };
    }

    /// <summary>
    /// Monthly volume one serving replica carries at the peak limit:
    /// <c>Q = C × max_utilization ÷ (output_tokens × peak_to_mean) × 86,400 × days</c>.
    /// </summary>
    /// <param name="profile">The self-hosted option.</param>
    /// <param name="shape">The traffic shape.</param>
    public static double MonthlyRequestsPerServingReplica(SelfHostedProfile profile, TrafficProfile shape)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(shape);
        return profile.OutputTokensPerSecond * profile.MaxUtilization / (shape.OutputTokens * shape.PeakToMean) * 86_400.0 * shape.DaysPerMonth;
    }

    private static double? FirstCheaperVolume(SelfHostedProfile profile, TrafficProfile shape, decimal perRequest)
    {
        var q = MonthlyRequestsPerServingReplica(profile, shape);
        var maxVolume = TrafficProfile.MaxRequestsPerDay * (1 - 1e-9) * shape.DaysPerMonth;
        var kMax = (long)Math.Min(Math.Ceiling(maxVolume / q), MaxSearchReplicas);
        maxVolume = Math.Min(maxVolume, kMax * q);

        double Right(long k) => Math.Min(k * q, maxVolume);
        bool Cheaper(double v) => CostModel.Evaluate(profile, shape.AtMonthlyVolume(v)).MonthlyCost <= (decimal)v * perRequest;

        // Doubling over the step index for a bracket (lo not cheaper, hi cheaper at the step's right end).
        long lo = 0;
        long hi = 1;
        while (!Cheaper(Right(hi)))
        {
            if (hi >= kMax)
            {
                return null;
            }

            lo = hi;
            hi = Math.Min(hi * 2, kMax);
        }

        // Bisection for the first step k whose right end is cheaper.
        while (hi - lo > 1)
        {
            var mid = lo + ((hi - lo) / 2);
            if (Cheaper(Right(mid)))
            {
                hi = mid;
            }
            else
            {
                lo = mid;
            }
        }

        // Within step hi the self-hosted cost is constant, so "cheaper" is monotone in the volume: bisect.
        var vLo = Right(hi - 1);
        var vHi = Right(hi);
        for (var i = 0; i < 200 && vHi - vLo > vHi * 1e-12; i++)
        {
            var mid = vLo + ((vHi - vLo) / 2);
            if (Cheaper(mid))
            {
                vHi = mid;
            }
            else
            {
                vLo = mid;
            }
        }

        return vHi;
    }
}
