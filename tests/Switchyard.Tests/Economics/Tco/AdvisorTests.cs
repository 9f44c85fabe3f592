using System.Text.Json;
using Switchyard.Economics;
using static Switchyard.Tests.Economics.Tco.EconomicsFixtures;

namespace Switchyard.Tests.Economics.Tco;

public sealed class AdvisorTests
{
    // With the fixtures: U* = 7.94%; the crossover is 27,429 requests/day. At 60,000/day (peak-to-mean 1.5) the fleet
    // of 2 replicas is 17.4% busy (2.19 × U*): high. At 30,000/day it is 8.7% busy (1.09 × U*): marginal.
    // At 10,000/day self-hosting ($2,918) costs more than hosting ($1,064): low.
    private const double High = 60_000;
    private const double Marginal = 30_000;
    private const double Low = 10_000;

    public static TheoryData<string, Workload, string, string[], string> Profiles() => new()
    {
        // (1) the boundary decides, whatever leans hosted
        { "boundary overrides frontier, low volume, no ops", Make(Low, dataMayLeave: false, frontier: true, ops: false), Verdicts.SelfHost, [ReasonCodes.DataBoundary, ReasonCodes.FrontierCapability, ReasonCodes.VolumeLow, ReasonCodes.NoInferenceOps], VolumeClasses.Low },
        { "boundary with unknown volume", Make(null, dataMayLeave: false), Verdicts.SelfHost, [ReasonCodes.DataBoundary, ReasonCodes.VolumeUnknown], VolumeClasses.Unknown },
        { "boundary alone", Make(High, dataMayLeave: false), Verdicts.SelfHost, [ReasonCodes.DataBoundary, ReasonCodes.VolumeHigh], VolumeClasses.High },

        // (2) only self-host leans
        { "sustained high volume", Make(High), Verdicts.SelfHost, [ReasonCodes.VolumeHigh], VolumeClasses.High },
        { "frozen version", Make(Marginal, frozen: true), Verdicts.SelfHost, [ReasonCodes.FrozenVersion], VolumeClasses.Marginal },
        { "fine-tuning core", Make(Marginal, fineTuning: true), Verdicts.SelfHost, [ReasonCodes.FineTuningCore], VolumeClasses.Marginal },
        { "all three self-host leans", Make(High, frozen: true, fineTuning: true), Verdicts.SelfHost, [ReasonCodes.FrozenVersion, ReasonCodes.VolumeHigh, ReasonCodes.FineTuningCore], VolumeClasses.High },

        // (3) only hosted leans
        { "low volume", Make(Low), Verdicts.Hosted, [ReasonCodes.VolumeLow], VolumeClasses.Low },
        { "unknown volume", Make(null), Verdicts.Hosted, [ReasonCodes.VolumeUnknown], VolumeClasses.Unknown },
        { "spiky, marginal volume", Make(Marginal, peakToMean: 4), Verdicts.Hosted, [ReasonCodes.VolumeSpiky], VolumeClasses.Marginal },
        { "frontier capability", Make(Marginal, frontier: true), Verdicts.Hosted, [ReasonCodes.FrontierCapability], VolumeClasses.Marginal },
        { "no inference ops", Make(Marginal, ops: false), Verdicts.Hosted, [ReasonCodes.NoInferenceOps], VolumeClasses.Marginal },
        { "time to market", Make(Marginal, timeToMarket: true), Verdicts.Hosted, [ReasonCodes.TimeToMarket], VolumeClasses.Marginal },
        { "ops cost eats the margin above U*", Make(High, opsMonthly: 5_000m), Verdicts.Hosted, [ReasonCodes.VolumeLow], VolumeClasses.Low },
        { "every hosted lean", Make(Low, frontier: true, ops: false, timeToMarket: true, peakToMean: 5), Verdicts.Hosted, [ReasonCodes.FrontierCapability, ReasonCodes.VolumeLow, ReasonCodes.VolumeSpiky, ReasonCodes.NoInferenceOps, ReasonCodes.TimeToMarket], VolumeClasses.Low },

        // (4) both ways, or neither
        { "high but spiky", Make(High, peakToMean: 4), Verdicts.Hybrid, [ReasonCodes.VolumeHigh, ReasonCodes.VolumeSpiky], VolumeClasses.High },
        { "high volume, no ops team", Make(High, ops: false), Verdicts.Hybrid, [ReasonCodes.VolumeHigh, ReasonCodes.NoInferenceOps], VolumeClasses.High },
        { "frozen version but frontier needed", Make(Marginal, frozen: true, frontier: true), Verdicts.Hybrid, [ReasonCodes.FrozenVersion, ReasonCodes.FrontierCapability], VolumeClasses.Marginal },
        { "fine-tuning but volume unknown", Make(null, fineTuning: true), Verdicts.Hybrid, [ReasonCodes.FineTuningCore, ReasonCodes.VolumeUnknown], VolumeClasses.Unknown },
        { "no lean either way", Make(Marginal), Verdicts.Hybrid, [], VolumeClasses.Marginal },
    };

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Verdicts_CoverEveryBranch(string name, Workload workload, string verdict, string[] leanCodes, string volume)
    {
        var advice = Advisor.Advise(workload, Hosted());

        Assert.True(verdict == advice.Verdict, $"{name}: expected {verdict}, got {advice.Verdict}: {string.Join(" | ", advice.Reasons.Select(r => r.Text))}");
        Assert.Equal(leanCodes, advice.Reasons.Where(r => r.Lean != Leans.Neutral).Select(r => r.Code));
        Assert.Equal(volume, advice.Volume);
        Assert.Equal(ReasonCodes.Verdict, advice.Reasons[^1].Code);
        Assert.Contains(advice.Reasons, r => r.Code == ReasonCodes.MonthlyCosts);

        // Every reason carries figures from the cost model.
        Assert.All(advice.Reasons.Where(r => r.Code != ReasonCodes.Verdict || advice.Verdict == Verdicts.Hybrid), r => Assert.Contains("$", r.Text, StringComparison.Ordinal));
        Assert.All(advice.Reasons, r => Assert.Contains(r.Lean, new[] { Leans.SelfHost, Leans.Hosted, Leans.Neutral }));
    }

    [Fact]
    public void HighVolume_FiguresMatchTheModel()
    {
        var advice = Advisor.Advise(Make(High), Hosted());

        Assert.Equal(2918.4m, advice.MonthlyCost.SelfHosted);
        Assert.Equal(6384m, advice.MonthlyCost.Hosted); // 1,824,000 × $0.0035
        Assert.True(advice.MonthlyCost.Hybrid <= advice.MonthlyCost.SelfHosted);
        Assert.Equal(Math.Round(BreakEvenUtilization, 4), advice.CrossoverUtilization);
        Assert.Equal(Math.Round(347.2222222 / 2000, 4), advice.Utilization);
        Assert.Equal(2, advice.Replicas);
        Assert.Equal(1, advice.ServingReplicas);
        Assert.Equal(1_824_000, advice.MonthlyRequests);
        Assert.Equal(Math.Ceiling(2 * 1459.2 / 0.0035), advice.CrossoverMonthlyRequests);
        Assert.Equal(3.2m, advice.SelfHostedPerMillionOutputTokens);
        Assert.Equal(7m, advice.HostedPerMillionOutputTokens);

        var high = Assert.Single(advice.Reasons, r => r.Code == ReasonCodes.VolumeHigh);
        Assert.Contains("1.82 M requests/month", high.Text, StringComparison.Ordinal);
        Assert.Contains("17%", high.Text, StringComparison.Ordinal);
        Assert.Contains("7.9%", high.Text, StringComparison.Ordinal);
        Assert.Contains("$2,918", high.Text, StringComparison.Ordinal);
        Assert.Contains("$6,384", high.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownVolume_HasNoMonthlyFigures_ButTheMinimumFleetAndCrossover()
    {
        var advice = Advisor.Advise(Make(null), Hosted());
        Assert.Null(advice.MonthlyCost.Hosted);
        Assert.Null(advice.MonthlyCost.SelfHosted);
        Assert.Null(advice.MonthlyCost.Hybrid);
        Assert.Null(advice.Utilization);
        Assert.Equal(2918.4m, advice.SelfHostedMinimumMonthly);
        Assert.NotNull(advice.CrossoverMonthlyRequests);
        var unknown = Assert.Single(advice.Reasons, r => r.Code == ReasonCodes.VolumeUnknown);
        Assert.Contains("$2,918", unknown.Text, StringComparison.Ordinal);
        Assert.Contains("833,829 requests/month", unknown.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Thresholds_AreOptions()
    {
        // Marginal at 1.09 × U* becomes high when the ratio is 1.05; spiky at 4 stops being spiky at threshold 5.
        Assert.Equal(VolumeClasses.High, Advisor.Advise(Make(Marginal), Hosted(), new AdvisorOptions { HighUtilizationRatio = 1.05 }).Volume);
        var advice = Advisor.Advise(Make(High, peakToMean: 4), Hosted(), new AdvisorOptions { SpikyPeakToMean = 5 });
        Assert.False(advice.Spiky);
        Assert.Equal(Verdicts.SelfHost, advice.Verdict);
    }

    [Fact]
    public void MinimalWorkloadFile_UsesDefaults_AndListsThem()
    {
        const string Json = """
            {
              "requests_per_day": 60000,
              "input_tokens": 1000,
              "output_tokens": 500,
              "hosted_model": "vendor/model-x",
              "self_hosted": {"gpu": "H100-80GB", "gpus": 1, "price_per_hour": 2.00, "output_tokens_per_second": 1000}
            }
            """;
        var workload = EconomicsJson.ParseWorkload(Json);
        Assert.Equal(1, workload.SelfHosted.Redundancy);
        Assert.Equal(0.8, workload.SelfHosted.MaxUtilization);
        var advice = Advisor.Advise(workload, Hosted());

        Assert.Contains(advice.Assumptions, a => a.StartsWith("peak_to_mean not given: assumed 2", StringComparison.Ordinal));
        Assert.Contains(advice.Assumptions, a => a.StartsWith("data_may_leave_boundary not given", StringComparison.Ordinal));
        Assert.Contains(advice.Assumptions, a => a.StartsWith("team_has_inference_ops not given", StringComparison.Ordinal));

        // Peak-to-mean 2: peak 694 tok/s → 1 serving + 1 spare; high volume but no ops team (the default) → hybrid.
        Assert.Equal(2, advice.Replicas);
        Assert.Equal(Verdicts.Hybrid, advice.Verdict);
    }

    [Fact]
    public void AdviceJson_HasTheQuotedNames()
    {
        var advice = Advisor.Advise(Make(High, ops: false), Hosted());
        using var doc = JsonDocument.Parse(EconomicsJson.Serialize(advice));
        var root = doc.RootElement;
        Assert.Equal("hybrid", root.GetProperty("verdict").GetString());
        var reason = root.GetProperty("reasons")[0];
        Assert.Equal(ReasonCodes.VolumeHigh, reason.GetProperty("code").GetString());
        Assert.Equal("self-host", reason.GetProperty("lean").GetString());
        Assert.False(string.IsNullOrEmpty(reason.GetProperty("text").GetString()));
        var monthly = root.GetProperty("monthly_cost");
        Assert.Equal(6384m, monthly.GetProperty("hosted").GetDecimal());
        Assert.Equal(2918.4m, monthly.GetProperty("self_hosted").GetDecimal());
        Assert.True(monthly.GetProperty("hybrid").GetDecimal() > 0);
        Assert.Equal(0.0794, root.GetProperty("crossover_utilization").GetDouble());
    }

    [Fact]
    public void ThroughputMeasuredAtOtherLengths_IsNoted()
    {
        var workload = Make(High) with { SelfHosted = Profile() with { BenchmarkInputTokens = 128, BenchmarkOutputTokens = 128, LatencyObjectiveMs = 2000, Concurrency = 64 } };
        var advice = Advisor.Advise(workload, Hosted());
        Assert.Contains(advice.Assumptions, a => a.Contains("re-measure", StringComparison.Ordinal));
        Assert.Contains(advice.Assumptions, a => a.Contains("latency objective 2000 ms", StringComparison.Ordinal));
    }

    private static Workload Make(
        double? requestsPerDay,
        double peakToMean = 1.5,
        bool dataMayLeave = true,
        bool frozen = false,
        bool frontier = false,
        bool fineTuning = false,
        bool ops = true,
        bool timeToMarket = false,
        decimal? opsMonthly = null) => new()
        {
            RequestsPerDay = requestsPerDay,
            PeakToMean = peakToMean,
            InputTokens = 1000,
            OutputTokens = 500,
            DataMayLeaveBoundary = dataMayLeave,
            NeedsFrozenVersion = frozen,
            NeedsFrontierCapability = frontier,
            FineTuningCore = fineTuning,
            TeamHasInferenceOps = ops,
            TimeToMarketCritical = timeToMarket,
            HostedModel = "vendor/model-x",
            SelfHosted = Profile() with { OpsMonthlyCost = opsMonthly },
        };
}
