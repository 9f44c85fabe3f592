using Switchyard.Economics;
using static Switchyard.Tests.Economics.Tco.EconomicsFixtures;

namespace Switchyard.Tests.Economics.Tco;

public sealed class CostModelTests
{
    [Theory]
    [InlineData(2.0, 1000.0, 0.5, 1.1111111111)] // 2 / (1000 × 3600 × 0.5 / 1e6) = 2 / 1.8
    [InlineData(2.0, 1000.0, 1.0, 0.5555555556)] // 2 / 3.6
    [InlineData(12.0, 2500.0, 0.25, 5.3333333333)] // 12 / (2500 × 3600 × 0.25 / 1e6) = 12 / 2.25
    [InlineData(0.9, 400.0, 0.8, 0.78125)] // 0.9 / 1.152
    public void PerMillionOutputTokens_HandWorked(double pricePerHour, double tokensPerSecond, double utilization, double expected)
    {
        var actual = CostModel.CostPerMillionOutputTokens((decimal)pricePerHour, tokensPerSecond, utilization);
        Near((decimal)expected, actual, 0.0000001m);
    }

    [Fact]
    public void BaseCase_HandWorked()
    {
        var cost = CostModel.Evaluate(Profile(), Traffic(60_000));

        // mean = 60,000 × 500 / 86,400 = 347.2222 tok/s; peak × 1.5 = 520.8333; ⌈520.83 / 800⌉ = 1 serving + 1 spare.
        Near(347.2222222222, cost.MeanOutputTokensPerSecond);
        Near(520.8333333333, cost.PeakOutputTokensPerSecond);
        Assert.Equal(1, cost.ServingReplicas);
        Assert.Equal(2, cost.Replicas);
        Assert.Equal(2, cost.Gpus);
        Near(347.2222222222 / 2000, cost.Utilization);
        Near(520.8333333333 / 1000, cost.PeakUtilization);
        Assert.Equal(729.6m, cost.HoursPerMonth);
        Assert.Equal(2m, cost.ReplicaHourlyCost);
        Assert.Equal(1459.2m, cost.ReplicaMonthlyCost);
        Assert.Equal(2918.4m, cost.MonthlyCost);
        Near(1_824_000, cost.MonthlyRequests);

        // 912 M output tokens/month → $3.20/M; 2,736 M tokens in all → $1.0667/M; 1.824 M requests → $0.0016.
        Near(3.2m, cost.CostPerMillionOutputTokens);
        Near(2918.4m / 2736m, cost.CostPerMillionTokens);
        Near(0.0016m, cost.CostPerRequest);

        // The fleet figure equals the hand formula price ÷ (tokens/s × 3600 × U / 10⁶) at the derived U.
        Near(CostModel.CostPerMillionOutputTokens(2m, 1000, cost.Utilization), cost.CostPerMillionOutputTokens);
    }

    [Theory]
    // requests/day, serving, replicas: peak = r × 500 / 86,400 × 1.5; one replica serves 800 tok/s at the peak.
    [InlineData(0.0, 1, 2)]
    [InlineData(1_000.0, 1, 2)]
    [InlineData(92_160.0, 1, 2)] // peak exactly 800 tok/s
    [InlineData(92_161.0, 2, 3)] // one request more needs a second serving replica
    [InlineData(184_320.0, 2, 3)]
    [InlineData(1_000_000.0, 11, 12)] // peak 8680.6 / 800 = 10.85
    public void Replicas_FollowFromPeakAndCapacity(double requestsPerDay, int serving, int replicas)
    {
        var cost = CostModel.Evaluate(Profile(), Traffic(requestsPerDay));
        Assert.Equal(serving, cost.ServingReplicas);
        Assert.Equal(replicas, cost.Replicas);
        Near(requestsPerDay * 500 / 86_400 / (replicas * 1000.0), cost.Utilization);
        Assert.True(cost.PeakUtilization <= 0.8 + 1e-12);
    }

    [Fact]
    public void Utilization_RisesWithRate_AndDropsWhenAReplicaIsAdded()
    {
        var below = CostModel.Evaluate(Profile(), Traffic(92_160));
        var above = CostModel.Evaluate(Profile(), Traffic(92_161));
        Assert.True(below.Utilization > CostModel.Evaluate(Profile(), Traffic(50_000)).Utilization);
        Assert.True(above.Utilization < below.Utilization);
        Assert.Equal(below.MonthlyCost + 1459.2m, above.MonthlyCost);
    }

    [Fact]
    public void NoTraffic_PaysForTheMinimumFleet_AndHasNoUnitCost()
    {
        var cost = CostModel.Evaluate(Profile(), Traffic(0));
        Assert.Equal(2, cost.Replicas);
        Assert.Equal(0, cost.Utilization);
        Assert.Equal(2918.4m, cost.MonthlyCost);
        Assert.Null(cost.CostPerMillionOutputTokens);
        Assert.Null(cost.CostPerRequest);
    }

    [Fact]
    public void RedundancyAndMaxUtilization_ChangeTheFleet()
    {
        var profile = Profile() with { Redundancy = 0, MaxUtilization = 1.0 };
        var cost = CostModel.Evaluate(profile, Traffic(100_000));

        // peak = 100,000 × 500 / 86,400 × 1.5 = 868.06 tok/s ≤ 1000 × 1.0 → 1 replica, no spare.
        Assert.Equal(1, cost.Replicas);
        Near(100_000 * 500 / 86_400.0 / 1000, cost.Utilization);
        Near(CostModel.CostPerMillionOutputTokens(2m, 1000, cost.Utilization), cost.CostPerMillionOutputTokens);

        var n2 = CostModel.Evaluate(Profile() with { Redundancy = 2 }, Traffic(100_000));
        Assert.Equal(2, n2.ServingReplicas); // 868 / 800 → 2
        Assert.Equal(4, n2.Replicas);
    }

    [Fact]
    public void OwnedHardware_AmortizationPlusPower()
    {
        var profile = new SelfHostedProfile
        {
            PurchasePrice = 30_000m,
            AmortizationMonths = 36m,
            PowerWatts = 700,
            ElectricityPerKwh = 0.15m,
            OutputTokensPerSecond = 1000,
        };

        // 30,000 / 36 = 833.3333 + 0.7 kW × 729.6 h × $0.15 = 76.608 → 909.9413 per replica-month.
        var cost = CostModel.Evaluate(profile, Traffic(60_000));
        Near(833.333333m + 76.608m, cost.ReplicaMonthlyCost, 0.00001m);
        Near((833.333333m + 76.608m) / 729.6m, cost.ReplicaHourlyCost, 0.00001m);
        Near(2 * (833.333333m + 76.608m), cost.MonthlyCost, 0.00001m);
    }

    [Fact]
    public void PricePerGpuHour_TimesGpus_AndOpsHoursTimesRate()
    {
        var profile = new SelfHostedProfile
        {
            Gpus = 4,
            PricePerGpuHour = 2.5m,
            OutputTokensPerSecond = 3000,
            OpsHoursPerMonth = 20,
            OpsHourlyRate = 100m,
        };

        var cost = CostModel.Evaluate(profile, Traffic(60_000));
        Assert.Equal(10m, cost.ReplicaHourlyCost);
        Assert.Equal(8, cost.Gpus);
        Assert.Equal(2000m, cost.OpsMonthlyCost);
        Assert.Equal((2 * 10m * 729.6m) + 2000m, cost.MonthlyCost);

        // With ops the unit cost is above the hand formula (which covers hardware only).
        Assert.True(cost.CostPerMillionOutputTokens > CostModel.CostPerMillionOutputTokens(10m, 3000, cost.Utilization));
    }

    [Fact]
    public void DaysPerMonth_DrivesHoursAndVolume()
    {
        var cost = CostModel.Evaluate(Profile(), Traffic(60_000) with { DaysPerMonth = 30 });
        Assert.Equal(720m, cost.HoursPerMonth);
        Assert.Equal(2880m, cost.MonthlyCost);
        Near(1_800_000, cost.MonthlyRequests);
    }
}
