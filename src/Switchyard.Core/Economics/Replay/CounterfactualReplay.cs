using System.Globalization;
using Switchyard.Economics.Pricing;

using Switchyard.Metering;

namespace Switchyard.Economics.Replay;

/// <summary>
/// Replays a ledger window: what the recorded traffic cost, and what it would have cost all-hosted on each catalog
/// model (every request priced at that model's prices, cached reads and long-context rates included), all-self-hosted
/// on a profile (with the replicas its busiest minute needed, paid for the whole window), and under the hybrid policy
/// in force (the hosted requests as recorded, plus the replicas the self-served traffic's own peak needed).
/// </summary>
/// <remarks>
/// Records are folded one at a time (<see cref="Add"/>): memory does not grow with the request count. Token counts are
/// the ones providers reported; cache writes are not in the ledger and are priced as uncached input.
/// </remarks>
public sealed class CounterfactualReplay
{
    private readonly TrafficAccumulator _traffic = new();
    private readonly IReadOnlyList<CatalogPrice> _hosted;
    private readonly decimal[] _hostedCost;
    private decimal _hostedServedCost;

    /// <summary>Creates a replay pricing every request at each of <paramref name="hostedOptions"/>.</summary>
    public CounterfactualReplay(IEnumerable<CatalogPrice> hostedOptions)
    {
        ArgumentNullException.ThrowIfNull(hostedOptions);
        _hosted = [.. hostedOptions];
        _hostedCost = new decimal[_hosted.Count];
    }

    /// <summary>Adds one ledger record.</summary>
    public void Add(LedgerRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        _traffic.Add(record);
        if (!TrafficAccumulator.IsSelf(record.Zone))
        {
            _hostedServedCost += record.Cost;
        }

        if (record.InputTokens == 0 && record.OutputTokens == 0)
        {
            return;
        }

        for (var i = 0; i < _hosted.Count; i++)
        {
            _hostedCost[i] += CatalogCost.Cost(_hosted[i], record.InputTokens, record.CachedInputTokens, record.CacheWriteTokens, record.OutputTokens);
        }
    }

    /// <summary>The report over [<paramref name="from"/>, <paramref name="to"/>), with the self-hosted options when <paramref name="profile"/> is given.</summary>
    public ReplayReport Build(DateTimeOffset from, DateTimeOffset to, SelfHostedProfile? profile = null)
    {
        var traffic = _traffic.Build(from, to);
        var days = Math.Max(traffic.Days, 1.0 / 1440);
        var toMonth = (decimal)(TrafficProfile.DefaultDaysPerMonth / days);
        var options = new List<ReplayOption>
        {
            new("recorded", traffic.RecordedCost, traffic.RecordedCost * toMonth, "what the ledger recorded (self-served requests cost what their configured price says, usually 0: their hardware is not in it)"),
        };
        for (var i = 0; i < _hosted.Count; i++)
        {
            var p = _hosted[i];
            options.Add(new ReplayOption("all-hosted " + p.Id, _hostedCost[i], _hostedCost[i] * toMonth, string.Create(CultureInfo.InvariantCulture, $"every request at {p.Id}'s prices (${p.Input}/${p.Output} per Mtok in/out, observed {p.Observed:yyyy-MM-dd})")));
        }

        var assumptions = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"window {traffic.From:yyyy-MM-dd HH:mm} to {traffic.To:yyyy-MM-dd HH:mm} UTC ({traffic.Days * 24:0.##} hours); monthly = window × {TrafficProfile.DefaultDaysPerMonth} days / its length"),
            "peak = the busiest minute's output tokens / 60",
            "the window is taken whole: rates and monthly figures are per window length, whatever the traffic's own span",
            "cache writes are not recorded in the ledger: priced as uncached input",
        };
        if (traffic.FirstRecord is { } firstRecord && (firstRecord - traffic.From).TotalDays > traffic.Days / 10)
        {
            assumptions.Add(string.Create(CultureInfo.InvariantCulture, $"the first record is at {firstRecord:yyyy-MM-dd HH:mm}, well after the window's start: if the ledger is younger than the window, volume is underestimated (shorten --since)"));
        }

        SelfHostedCost? all = null;
        if (profile is not null && traffic.Requests > 0)
        {
            var shape = new TrafficProfile(traffic.RequestsPerDay, traffic.MeanInputTokens, Math.Max(traffic.MeanOutputTokens, 1e-9), Math.Max(traffic.PeakToMean, 1));
            all = CostModel.Evaluate(profile, shape);
            var windowCost = all.MonthlyCost / toMonth;
            options.Add(new ReplayOption("all-self-hosted", windowCost, all.MonthlyCost, string.Create(CultureInfo.InvariantCulture, $"{all.Replicas} replica(s) of {profile.Gpus}× {profile.Gpu ?? "GPU"} for a peak of {traffic.PeakOutputTokensPerSecond:0.#} tok/s, {all.Utilization:P0} mean utilization")));

            var self = traffic.ByModel.Where(m => TrafficAccumulator.IsSelf(m.Zone)).ToList();
            var selfRequests = self.Sum(m => m.Requests);
            decimal selfMonthly = 0;
            var detail = "no self-served traffic: the hosted part as recorded";
            if (selfRequests > 0)
            {
                var selfOutput = self.Sum(m => m.OutputTokens);
                var selfMean = selfOutput / (days * 86_400);
                var selfShape = new TrafficProfile(selfRequests / days, (double)self.Sum(m => m.InputTokens) / selfRequests, Math.Max((double)selfOutput / selfRequests, 1e-9), Math.Max(selfMean > 0 ? traffic.SelfPeakOutputTokensPerSecond / selfMean : 1, 1));
                var selfCost = CostModel.Evaluate(profile, selfShape);
                selfMonthly = selfCost.MonthlyCost;
                detail = string.Create(CultureInfo.InvariantCulture, $"hosted requests as recorded (${_hostedServedCost:0.##}) + {selfCost.Replicas} replica(s) for the {selfRequests:N0} self-served requests (peak {traffic.SelfPeakOutputTokensPerSecond:0.#} tok/s)");
            }

            var hybridWindow = _hostedServedCost + (selfMonthly / toMonth);
            options.Add(new ReplayOption("hybrid (policy in force)", hybridWindow, hybridWindow * toMonth, detail));
            assumptions.Add("self-hosted replicas are paid for the whole window, busy or not; operations cost is included per month");
        }

        options.Sort((a, b) => a.Cost.CompareTo(b.Cost));
        return new ReplayReport(traffic, options, assumptions) { SelfHosted = all };
    }
}
