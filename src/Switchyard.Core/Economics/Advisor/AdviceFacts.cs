using static Switchyard.Economics.Figures;

namespace Switchyard.Economics;

/// <summary>The advisor's figures, and the reason texts quoting them.</summary>
internal sealed class AdviceFacts(
    Workload workload,
    HostedPrice hosted,
    SelfHostedProfile profile,
    TrafficProfile traffic,
    CrossoverPoint crossover,
    SelfHostedCost minimum,
    SelfHostedCost? self,
    decimal? hostedMonthly,
    HybridPlan? hybrid,
    AdvisorOptions options)
{
    private string Gpu => string.IsNullOrWhiteSpace(profile.Gpu) ? "GPU" : profile.Gpu;

    private SelfHostedCost Fleet => self ?? minimum;

    private decimal PerRequest => crossover.HostedCostPerRequest;

    private string Volume => Count(traffic.MonthlyRequests) + " requests/month";

    private string UStar => crossover.BreakEvenUtilization is { } u ? Percent(u) : "n/a (hosting is free)";

    public string DataBoundary() => self is not null && hostedMonthly is { } h && hybrid is not null
        ? Invariant($"data may not leave the boundary, so requests cannot go to {hosted.Id}: self-hosting keeps them inside at {Money(self.MonthlyCost)}/month ({FleetText(self)}, {Percent(self.Utilization)} busy); hosted would be {Money(h)}/month and the hybrid {Money(hybrid.MonthlyCost)}/month, but neither is allowed")
        : Invariant($"data may not leave the boundary, so requests cannot go to {hosted.Id}: self-hosting keeps them inside, from {Money(minimum.MonthlyCost)}/month for the smallest fleet ({FleetText(minimum)})");

    public string FrozenVersion() =>
        Invariant($"a frozen model version is needed: self-hosted weights change only when you change them, while {hosted.Id} can be updated or retired by its provider; pinning costs {Compare()}");

    public string VolumeHigh(bool spiky)
    {
        var s = self!;
        var h = hostedMonthly!.Value;
        var u = crossover.BreakEvenUtilization!.Value;
        var shape = spiky ? string.Empty : Invariant($", sustained at peak-to-mean {Number(traffic.PeakToMean)}");
        return Invariant($"{Volume} keep the fleet {Percent(s.Utilization)} busy, {Number(s.Utilization / u)}× the crossover {Percent(u)} (threshold {Number(options.HighUtilizationRatio)}×){shape}: self-hosting is {Money(s.MonthlyCost)}/month vs {Money(h)}/month hosted, saving {Money(h - s.MonthlyCost)}/month; {BreakEven()}");
    }

    public string FineTuning() =>
        Invariant($"deep fine-tuning is core: owning the weights allows full fine-tunes served on your own fleet; that costs {Compare()}");

    public string Frontier()
    {
        var monthly = hostedMonthly is { } h ? Invariant($", {Money(h)}/month") : string.Empty;
        return Invariant($"top-of-frontier capability is needed now: {hosted.Id} offers it at {Money(PerRequest)}/request ({Money(crossover.HostedPerMillionOutputTokens)}/M output tokens of this mix{monthly}); the self-hosted option on {Gpu} runs an open-weight model below the frontier, at {SelfMonthly()}");
    }

    public string VolumeLow()
    {
        var s = self!;
        var h = hostedMonthly!.Value;
        if (crossover.BreakEvenUtilization is not { } u)
        {
            return Invariant($"{hosted.Id} costs nothing at its listed prices, so self-hosting ({Money(s.MonthlyCost)}/month) cannot win on cost");
        }

        return s.Utilization < u
            ? Invariant($"{Volume} keep the fleet only {Percent(s.Utilization)} busy, below the crossover {Percent(u)}: self-hosting would cost {Money(s.MonthlyCost)}/month ({FleetText(s)}) vs {Money(h)}/month hosted; {BreakEven()}")
            : Invariant($"{Volume} keep the fleet {Percent(s.Utilization)} busy, above the crossover {Percent(u)}, but {Money(s.OpsMonthlyCost)}/month of operations makes self-hosting {Money(s.MonthlyCost)}/month vs {Money(h)}/month hosted; {BreakEven()}");
    }

    public string VolumeUnknown() =>
        Invariant($"the request volume is unknown: {hosted.Id} costs {Money(PerRequest)}/request with no commitment, while self-hosting costs at least {Money(minimum.MonthlyCost)}/month ({FleetText(minimum)}); {BreakEven()}");

    public string VolumeMarginal()
    {
        var s = self!;
        var h = hostedMonthly!.Value;
        var saving = h - s.MonthlyCost;
        return Invariant($"{Volume} keep the fleet {Percent(s.Utilization)} busy, above the crossover {UStar} but by less than {Number(options.HighUtilizationRatio)}×: self-hosting saves only {Money(saving)}/month ({Percent((double)(saving / h))} of {Money(h)} hosted), so volume alone does not decide");
    }

    public string Spiky()
    {
        var head = Invariant($"traffic is spiky (peak-to-mean {Number(traffic.PeakToMean)}, above {Number(options.SpikyPeakToMean)}): a fleet sized for the peak averages at most {Percent(crossover.UtilizationCeiling)} busy");
        if (self is null || hybrid is null || hostedMonthly is not { } h)
        {
            return Invariant($"{head}, against the crossover {UStar}, and the smallest fleet costs {Money(minimum.MonthlyCost)}/month");
        }

        return Invariant($"{head} — here {Percent(self.Utilization)} with {Plural(self.ServingReplicas, "serving replica")} for the peak; a hybrid of {Plural(hybrid.BaseReplicas, "base replica")} sending the peaks ({Percent(hybrid.HostedShare)} of requests) to {hosted.Id} costs {Money(hybrid.MonthlyCost)}/month vs {Money(self.MonthlyCost)} self-hosted and {Money(h)} hosted");
    }

    public string NoOps()
    {
        var fleet = Fleet;
        var ops = profile.OpsMonthly;
        var budget = ops > 0
            ? Invariant($", budgeted at {Money(ops)}/month")
            : ", and the profile budgets nothing for it (no ops_monthly_cost), so the self-hosted figures are a lower bound";
        var compare = hostedMonthly is { } h ? Invariant($"; hosted costs {Money(h)}/month with none of it") : Invariant($"; hosted costs {Money(PerRequest)}/request with none of it");
        return Invariant($"the team has no inference/SRE capacity: self-hosting means running {Plural(fleet.Replicas, "replica")} ({fleet.Gpus}× {Gpu}) with {profile.Redundancy} spare, failover, upgrades and on-call{budget}{compare}");
    }

    public string TimeToMarket()
    {
        var fleet = Fleet;
        var carry = self is not null ? Invariant($" to carry {Volume}") : string.Empty;
        return Invariant($"time-to-market dominates: {hosted.Id} is usable today at {Money(PerRequest)}/request, while self-hosting first needs {fleet.Gpus}× {Gpu} provisioned and a serving stack tuned to {Number(profile.OutputTokensPerSecond)} output tokens/s per replica{carry}");
    }

    public string MonthlyCosts()
    {
        if (self is null || hybrid is null || hostedMonthly is not { } h)
        {
            return Invariant($"volume unknown: hosted {Money(PerRequest)}/request ({Money(crossover.HostedPerMillionOutputTokens)}/M output tokens of this mix); self-hosted from {Money(minimum.MonthlyCost)}/month; crossover utilization {UStar}; {BreakEven()}");
        }

        var perMillion = self.CostPerMillionOutputTokens is { } spm ? Invariant($", {Money(spm)}/M output tokens vs {Money(crossover.HostedPerMillionOutputTokens)} hosted") : string.Empty;
        return Invariant($"at {Volume}: hosted {Money(h)}/month ({Money(PerRequest)}/request); self-hosted {Money(self.MonthlyCost)}/month ({FleetText(self)}, {Percent(self.Utilization)} busy{perMillion}); hybrid {Money(hybrid.MonthlyCost)}/month ({Plural(hybrid.BaseReplicas, "base replica")} without spares, {Percent(hybrid.HostedShare)} of requests hosted)");
    }

    public string HybridSummary()
    {
        if (self is null || hybrid is null || hostedMonthly is not { } h)
        {
            var from = crossover.BreakEvenMonthlyRequests is { } v ? Invariant($"once measured volume nears {Count(v)} requests/month") : "if volume ever justifies it";
            return Invariant($"start hosted at {Money(PerRequest)}/request and add self-hosted base replicas {from}");
        }

        if (hybrid.BaseReplicas == 0)
        {
            var towards = crossover.BreakEvenMonthlyRequests is { } v ? Invariant($"until volume grows towards {Count(v)} requests/month") : "at any volume";
            return Invariant($"at this volume the cheapest hybrid keeps no base replica (hosted at {Money(h)}/month) {towards}; keep the self-hosted path for the constraints that need it");
        }

        var what = workload.HybridHostedShare > 0 ? "peaks and requests that need the hosted model" : "peaks";
        var split = hybrid.HostedShare < 0.0005
            ? Invariant($"self-host {Plural(hybrid.BaseReplicas, "base replica")} without a spare, with {hosted.Id} as failover and overflow (under 0.1% of requests in normal operation)")
            : Invariant($"self-host {Plural(hybrid.BaseReplicas, "base replica")} without a spare and send {Percent(hybrid.HostedShare)} of requests ({what}) to {hosted.Id}, which is also the failover");
        return Invariant($"{split}: {Money(hybrid.MonthlyCost)}/month vs {Money(self.MonthlyCost)} self-hosted and {Money(h)} hosted");
    }

    private string Compare() => self is not null && hostedMonthly is { } h
        ? Invariant($"{Money(self.MonthlyCost)}/month self-hosted ({FleetText(self)}, {Percent(self.Utilization)} busy) vs {Money(h)}/month hosted")
        : Invariant($"at least {Money(minimum.MonthlyCost)}/month self-hosted (smallest fleet: {FleetText(minimum)}) vs {Money(PerRequest)}/request hosted");

    private string SelfMonthly() => self is not null
        ? Invariant($"{Money(self.MonthlyCost)}/month")
        : Invariant($"from {Money(minimum.MonthlyCost)}/month");

    private string BreakEven()
    {
        if (crossover.BreakEvenMonthlyRequests is { } v)
        {
            return Invariant($"self-hosting breaks even from {Count(v)} requests/month ({Count(v / traffic.DaysPerMonth)}/day)");
        }

        if (crossover.BreakEvenUtilization is not { } u || u >= crossover.UtilizationCeiling)
        {
            return Invariant($"self-hosting never breaks even for this mix: a replica at full load costs {Money(crossover.ReplicaPerMillionOutputTokensAtFullLoad)}/M output tokens against {Money(crossover.HostedPerMillionOutputTokens)} hosted, which needs {UStar} utilization, and the peaks cap it at {Percent(crossover.UtilizationCeiling)}");
        }

        return Invariant($"self-hosting does not break even below {Count(TrafficProfile.MaxRequestsPerDay * traffic.DaysPerMonth)} requests/month");
    }

    private string FleetText(SelfHostedCost cost) =>
        Invariant($"{Plural(cost.Replicas, "replica")} of {profile.Gpus}× {Gpu}: {cost.ServingReplicas} serving + {cost.Replicas - cost.ServingReplicas} spare");
}
