namespace Switchyard.Economics;

/// <summary>
/// Recommends self-hosting, the hosted API, or a hybrid for a <see cref="Workload"/>, backing every reason with figures
/// from <see cref="CostModel"/>, <see cref="Crossover"/> and <see cref="HybridPlanner"/>.
/// </summary>
/// <remarks>
/// <para>
/// <b>Figures.</b> At the workload's volume V (requests/day × days): hosted monthly = V × hosted cost per request;
/// self-hosted monthly S from <see cref="CostModel.Evaluate"/> (fleet for the peak, spares, operations), with fleet
/// utilization U; U* and the crossover volume from <see cref="Crossover.Find"/>; hybrid monthly from
/// <see cref="HybridPlanner.Plan"/> with the workload's <c>hybrid_hosted_share</c>.
/// </para>
/// <para>
/// <b>Volume class</b> (<see cref="VolumeClasses"/>): <c>unknown</c> when <c>requests_per_day</c> is null;
/// otherwise <c>low</c> when S ≥ hosted monthly (which includes every U &lt; U*, and U ≥ U* when operations or spares
/// eat the margin); <c>high</c> when S &lt; hosted and U ≥ <see cref="AdvisorOptions.HighUtilizationRatio"/> × U*
/// (1.25 by default); <c>marginal</c> otherwise. Traffic is <b>spiky</b> when peak-to-mean &gt;
/// <see cref="AdvisorOptions.SpikyPeakToMean"/> (3 by default). "Volume sustained and high" is therefore
/// <c>high</c> and not spiky; high but spiky yields a self-host and a hosted lean, hence hybrid.
/// </para>
/// <para>
/// <b>Leans.</b> Self-host: <c>frozen_version</c> (needs_frozen_version), <c>volume_high</c>,
/// <c>fine_tuning_core</c>. Hosted: <c>frontier_capability</c> (needs_frontier_capability), <c>volume_low</c>,
/// <c>volume_unknown</c>, <c>volume_spiky</c>, <c>no_inference_ops</c> (team_has_inference_ops false or absent),
/// <c>time_to_market</c> (time_to_market_critical). Neutral: <c>volume_marginal</c>, <c>monthly_costs</c>,
/// <c>verdict</c>.
/// </para>
/// <para>
/// <b>Verdict</b>, in this order: (1) data may not leave the boundary (<c>data_may_leave_boundary</c> false) →
/// <c>self-host</c>, whatever else leans hosted (a constraint, not a preference; the conflicting hosted leans are still
/// listed); (2) at least one self-host lean and no hosted lean → <c>self-host</c>; (3) at least one hosted lean and no
/// self-host lean → <c>hosted</c>; (4) otherwise — leans both ways, or none → <c>hybrid</c>.
/// </para>
/// </remarks>
public static class Advisor
{
    /// <summary>Advises on the workload.</summary>
    /// <param name="workload">The workload (validated here).</param>
    /// <param name="hosted">The price of <see cref="Workload.HostedModel"/> (mapped by the caller from the catalog).</param>
    /// <param name="options">Thresholds; defaults when omitted.</param>
    /// <exception cref="EconomicsInputException">The workload, price or options are invalid.</exception>
    public static Advice Advise(Workload workload, HostedPrice hosted, AdvisorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(hosted);
        options ??= new AdvisorOptions();
        options.Validate();
        workload.Validate();
        hosted.Validate();

        var assumptions = new List<string>();
        var peakToMean = workload.PeakToMean ?? options.DefaultPeakToMean;
        if (workload.PeakToMean is null)
        {
            assumptions.Add(Figures.Invariant($"peak_to_mean not given: assumed {Figures.Number(peakToMean)} (typical day/night traffic); measure it from your traffic"));
        }

        var mayLeave = workload.DataMayLeaveBoundary ?? true;
        if (workload.DataMayLeaveBoundary is null)
        {
            assumptions.Add("data_may_leave_boundary not given: assumed true (requests may be sent to the hosted provider)");
        }

        var hasOps = workload.TeamHasInferenceOps ?? false;
        if (workload.TeamHasInferenceOps is null)
        {
            assumptions.Add("team_has_inference_ops not given: assumed false");
        }

        if (!string.Equals(hosted.Id, workload.HostedModel, StringComparison.OrdinalIgnoreCase))
        {
            assumptions.Add($"hosted_model '{workload.HostedModel}' priced as '{hosted.Id}'");
        }

        var profile = workload.SelfHosted;
        AddProfileCaveats(assumptions, profile, workload, options);

        var traffic = workload.ToTraffic(peakToMean);
        var known = workload.RequestsPerDay is not null;
        var crossover = Crossover.Find(profile, traffic, hosted);
        var minimum = CostModel.Evaluate(profile, traffic.AtRate(0));
        var self = known ? CostModel.Evaluate(profile, traffic) : null;
        var perRequest = crossover.HostedCostPerRequest;
        decimal? hostedMonthly = known ? (decimal)traffic.MonthlyRequests * perRequest : null;
        var hybrid = known ? HybridPlanner.Plan(profile, traffic, hosted, workload.HybridHostedShare) : null;

        var volume = ClassifyVolume(self, hostedMonthly, crossover.BreakEvenUtilization, options);
        var spiky = peakToMean > options.SpikyPeakToMean;
        var facts = new AdviceFacts(workload, hosted, profile, traffic, crossover, minimum, self, hostedMonthly, hybrid, options);

        var selfLeans = new List<AdviceReason>();
        var hostedLeans = new List<AdviceReason>();
        var neutral = new List<AdviceReason>();
        AdviceReason? boundary = mayLeave ? null : new(ReasonCodes.DataBoundary, Leans.SelfHost, facts.DataBoundary());
        if (workload.NeedsFrozenVersion)
        {
            selfLeans.Add(new(ReasonCodes.FrozenVersion, Leans.SelfHost, facts.FrozenVersion()));
        }

        if (volume == VolumeClasses.High)
        {
            selfLeans.Add(new(ReasonCodes.VolumeHigh, Leans.SelfHost, facts.VolumeHigh(spiky)));
        }

        if (workload.FineTuningCore)
        {
            selfLeans.Add(new(ReasonCodes.FineTuningCore, Leans.SelfHost, facts.FineTuning()));
        }

        if (workload.NeedsFrontierCapability)
        {
            hostedLeans.Add(new(ReasonCodes.FrontierCapability, Leans.Hosted, facts.Frontier()));
        }

        switch (volume)
        {
            case VolumeClasses.Unknown:
                hostedLeans.Add(new(ReasonCodes.VolumeUnknown, Leans.Hosted, facts.VolumeUnknown()));
                break;
            case VolumeClasses.Low:
                hostedLeans.Add(new(ReasonCodes.VolumeLow, Leans.Hosted, facts.VolumeLow()));
                break;
            case VolumeClasses.Marginal:
                neutral.Add(new(ReasonCodes.VolumeMarginal, Leans.Neutral, facts.VolumeMarginal()));
                break;
            default:
                break;
        }

        if (spiky)
        {
            hostedLeans.Add(new(ReasonCodes.VolumeSpiky, Leans.Hosted, facts.Spiky()));
        }

        if (!hasOps)
        {
            hostedLeans.Add(new(ReasonCodes.NoInferenceOps, Leans.Hosted, facts.NoOps()));
        }

        if (workload.TimeToMarketCritical)
        {
            hostedLeans.Add(new(ReasonCodes.TimeToMarket, Leans.Hosted, facts.TimeToMarket()));
        }

        neutral.Add(new(ReasonCodes.MonthlyCosts, Leans.Neutral, facts.MonthlyCosts()));

        string verdict;
        string rule;
        var selfCodes = string.Join(", ", selfLeans.Select(r => r.Code));
        var hostedCodes = string.Join(", ", hostedLeans.Select(r => r.Code));
        var tally = Figures.Invariant($"leans: {selfLeans.Count} self-host{Parenthesized(selfCodes)}, {hostedLeans.Count} hosted{Parenthesized(hostedCodes)}");
        if (!mayLeave)
        {
            verdict = Verdicts.SelfHost;
            rule = $"data may not leave the boundary, which decides: self-host ({tally}; the hosted leans are costs of that constraint, not alternatives)";
        }
        else if (selfLeans.Count > 0 && hostedLeans.Count == 0)
        {
            verdict = Verdicts.SelfHost;
            rule = $"{tally}: self-host";
        }
        else if (hostedLeans.Count > 0 && selfLeans.Count == 0)
        {
            verdict = Verdicts.Hosted;
            rule = $"{tally}: hosted";
        }
        else
        {
            verdict = Verdicts.Hybrid;
            rule = selfLeans.Count > 0
                ? $"{tally}: hybrid — {facts.HybridSummary()}"
                : $"{tally}, so neither side decides: hybrid — {facts.HybridSummary()}";
        }

        neutral.Add(new(ReasonCodes.Verdict, Leans.Neutral, rule));
        var reasons = new List<AdviceReason>();
        if (boundary is not null)
        {
            reasons.Add(boundary);
        }

        reasons.AddRange(selfLeans);
        reasons.AddRange(hostedLeans);
        reasons.AddRange(neutral);

        return new Advice
        {
            Verdict = verdict,
            Reasons = reasons,
            MonthlyCost = new MonthlyCostComparison(Cents(hostedMonthly), Cents(self?.MonthlyCost), Cents(hybrid?.MonthlyCost)),
            CrossoverUtilization = Round4(crossover.BreakEvenUtilization),
            CrossoverMonthlyRequests = crossover.BreakEvenMonthlyRequests is { } v ? Math.Ceiling(v) : null,
            UtilizationCeiling = Round4(crossover.UtilizationCeiling) ?? 0,
            Utilization = Round4(self?.Utilization),
            Replicas = self?.Replicas,
            ServingReplicas = self?.ServingReplicas,
            MonthlyRequests = known ? Math.Round(traffic.MonthlyRequests) : null,
            Volume = volume,
            Spiky = spiky,
            HostedModel = hosted.Id,
            HostedCostPerRequest = decimal.Round(perRequest, 8),
            SelfHostedCostPerRequest = self?.CostPerRequest is { } spr ? decimal.Round(spr, 8) : null,
            HostedPerMillionOutputTokens = decimal.Round(crossover.HostedPerMillionOutputTokens, 8),
            SelfHostedPerMillionOutputTokens = self?.CostPerMillionOutputTokens is { } spm ? decimal.Round(spm, 8) : null,
            SelfHostedMinimumMonthly = decimal.Round(minimum.MonthlyCost, 2),
            Hybrid = hybrid is null ? null : hybrid with
            {
                SelfHostedMonthly = decimal.Round(hybrid.SelfHostedMonthly, 2),
                HostedMonthly = decimal.Round(hybrid.HostedMonthly, 2),
                MonthlyCost = decimal.Round(hybrid.MonthlyCost, 2),
                OverflowShare = Math.Round(hybrid.OverflowShare, 4),
                HostedShare = Math.Round(hybrid.HostedShare, 4),
                BaseUtilization = Math.Round(hybrid.BaseUtilization, 4),
            },
            Assumptions = assumptions,
        };
    }

    /// <summary>
    /// The volume class: <c>unknown</c> without a volume; <c>low</c> when self-hosted ≥ hosted monthly; <c>high</c>
    /// when cheaper and U ≥ ratio × U*; else <c>marginal</c>.
    /// </summary>
    /// <param name="self">The self-hosted cost at the volume (<see langword="null"/> when unknown).</param>
    /// <param name="hostedMonthly">The hosted monthly cost (<see langword="null"/> when unknown).</param>
    /// <param name="breakEvenUtilization">U*.</param>
    /// <param name="options">The thresholds.</param>
    public static string ClassifyVolume(SelfHostedCost? self, decimal? hostedMonthly, double? breakEvenUtilization, AdvisorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (self is null || hostedMonthly is not { } hostedCost)
        {
            return VolumeClasses.Unknown;
        }

        if (self.MonthlyCost >= hostedCost || breakEvenUtilization is not { } uStar)
        {
            return VolumeClasses.Low;
        }

        return self.Utilization >= options.HighUtilizationRatio * uStar ? VolumeClasses.High : VolumeClasses.Marginal;
    }

    private static void AddProfileCaveats(List<string> assumptions, SelfHostedProfile profile, Workload workload, AdvisorOptions options)
    {
        static bool Mismatch(double? benchmark, double actual, double ratio) =>
            benchmark is > 0 && actual > 0 && (actual / benchmark.Value > ratio || benchmark.Value / actual > ratio);

        if (Mismatch(profile.BenchmarkInputTokens, workload.InputTokens, options.BenchmarkMismatchRatio)
            || Mismatch(profile.BenchmarkOutputTokens, workload.OutputTokens, options.BenchmarkMismatchRatio))
        {
            assumptions.Add(Figures.Invariant(
                $"self_hosted.output_tokens_per_second was measured at {Figures.Number(profile.BenchmarkInputTokens ?? 0)} input / {Figures.Number(profile.BenchmarkOutputTokens ?? 0)} output tokens per request, but the workload has {Figures.Number(workload.InputTokens)} / {Figures.Number(workload.OutputTokens)}: throughput is used as given; re-measure at the workload's lengths"));
        }

        if (profile.BenchmarkInputTokens is null && profile.BenchmarkOutputTokens is null)
        {
            assumptions.Add("self_hosted benchmark lengths not given: output_tokens_per_second is assumed to hold at the workload's input/output lengths");
        }

        if (profile.LatencyObjectiveMs is { } latency)
        {
            assumptions.Add(Figures.Invariant(
                $"latency objective {Figures.Number(latency)} ms: assumed met at output_tokens_per_second{(profile.Concurrency is { } c ? Figures.Invariant($" (concurrency {c})") : string.Empty)} with replicas loaded to at most {Figures.Percent(profile.MaxUtilization)}; latency itself is not modelled"));
        }

        if (profile.OpsMonthly == 0)
        {
            assumptions.Add("no operations cost in the profile (ops_monthly_cost or ops_hours_per_month × ops_hourly_rate): self-hosted figures exclude people's time");
        }
    }

    private static string Parenthesized(string codes) => codes.Length == 0 ? string.Empty : " (" + codes + ")";

    private static decimal? Cents(decimal? value) => value is { } v ? decimal.Round(v, 2) : null;

    private static double? Round4(double? value) => value is { } v ? Math.Round(v, 4) : null;
}
