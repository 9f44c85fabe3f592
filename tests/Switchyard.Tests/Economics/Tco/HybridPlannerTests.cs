using Switchyard.Economics;
using static Switchyard.Tests.Economics.Tco.EconomicsFixtures;

namespace Switchyard.Tests.Economics.Tco;

public sealed class HybridPlannerTests
{
    [Theory]
    [InlineData(1.0, 0.5, 0.5)] // flat load: everything above half the mean
    [InlineData(1.0, 1.0, 0.0)]
    [InlineData(2.0, 1.0, 0.25)] // L = 2 − 2x: ∫₀^½ (1 − 2x) dx
    [InlineData(4.0, 2.0, 0.25)] // L = max(0, 4 − 8x): ∫₀^¼ (2 − 8x) dx
    [InlineData(1.5, 0.4, 0.6)] // capacity below the trough (0.5): all of the mean above it
    [InlineData(3.0, 0.0, 1.0)]
    [InlineData(3.0, 3.0, 0.0)]
    public void OverflowShare_HandWorked(double peakToMean, double capacity, double expected) =>
        Near(expected, HybridPlanner.OverflowShare(peakToMean, capacity), 1e-12);

    [Theory]
    [InlineData(1.3, 0.7)]
    [InlineData(1.8, 1.2)]
    [InlineData(2.5, 0.5)]
    [InlineData(5.0, 1.5)]
    [InlineData(8.0, 0.2)]
    public void OverflowShare_MatchesTheCurveIntegratedNumerically(double p, double capacity)
    {
        // The linear load-duration curve with mean 1 and peak p, integrated by the midpoint rule.
        var slope = p <= 2 ? 2 * (p - 1) : p * p / 2;
        const int Steps = 200_000;
        double mean = 0, over = 0;
        for (var i = 0; i < Steps; i++)
        {
            var load = Math.Max(0, p - (slope * (i + 0.5) / Steps));
            mean += load / Steps;
            over += Math.Max(0, load - capacity) / Steps;
        }

        Near(1.0, mean, 1e-6);
        Near(over, HybridPlanner.OverflowShare(p, capacity), 1e-6);
    }

    [Theory]
    [InlineData(10_000.0, 1.5, 0.0)]
    [InlineData(60_000.0, 1.5, 0.0)]
    [InlineData(60_000.0, 4.0, 0.0)]
    [InlineData(400_000.0, 3.0, 0.0)]
    [InlineData(400_000.0, 3.0, 0.2)]
    [InlineData(2_000_000.0, 2.0, 0.1)]
    public void Plan_IsTheCheapestBaseFleet(double requestsPerDay, double peakToMean, double alwaysHosted)
    {
        var profile = Profile() with { OpsMonthlyCost = 500m };
        var traffic = Traffic(requestsPerDay, peakToMean);
        var plan = HybridPlanner.Plan(profile, traffic, Hosted(), alwaysHosted);

        // Brute force over every base fleet size, by the documented formula.
        var hostedAll = (decimal)traffic.MonthlyRequests * HostedPerRequest;
        var selfMean = (1 - alwaysHosted) * traffic.MeanOutputTokensPerSecond;
        decimal Cost(int k) => (k * ReplicaMonthly) + (k > 0 ? 500m : 0m)
            + ((decimal)(alwaysHosted + ((1 - alwaysHosted) * HybridPlanner.OverflowShare(peakToMean, k * 800.0 / selfMean))) * hostedAll);
        var costs = Enumerable.Range(0, 200).Select(Cost).ToList();
        var best = costs.IndexOf(costs.Min());
        Assert.Equal(best, plan.BaseReplicas);
        Near(costs[best], plan.MonthlyCost, 0.0001m);
        Assert.Equal(plan.SelfHostedMonthly + plan.HostedMonthly, plan.MonthlyCost);
        Assert.True(plan.HostedShare >= alwaysHosted);

        // With nothing forced hosted, the hybrid is never dearer than either pure option.
        if (alwaysHosted == 0)
        {
            Assert.True(plan.MonthlyCost <= hostedAll);
            Assert.True(plan.MonthlyCost <= CostModel.Evaluate(profile, traffic).MonthlyCost);
        }
    }

    [Fact]
    public void Plan_HandWorked_SpikyBaseLoad()
    {
        // 60,000/day at peak-to-mean 4: mean 347.22 tok/s, peak 1388.9. One base replica carries 800 tok/s (K = 2.304 means):
        // overflow = (4 − 2.304)² / (2 × 8) = 0.17980; hosted part 0.1798 × $6,384 = $1,147.8; self $1,459.2; total $2,607.0.
        var plan = HybridPlanner.Plan(Profile(), Traffic(60_000, 4.0), Hosted());
        Assert.Equal(1, plan.BaseReplicas);
        var k = 800 / (60_000 * 500 / 86_400.0);
        var overflow = (4 - k) * (4 - k) / 16;
        Near(overflow, plan.OverflowShare, 1e-12);
        Near(1459.2m + ((decimal)overflow * 6384m), plan.MonthlyCost, 0.001m);
        Near(347.2222222 * (1 - overflow) / 1000, plan.BaseUtilization, 1e-8);
    }

    [Fact]
    public void Plan_NoTraffic_IsAllHostedAtZero()
    {
        var plan = HybridPlanner.Plan(Profile(), Traffic(0), Hosted());
        Assert.Equal(0, plan.BaseReplicas);
        Assert.Equal(0m, plan.MonthlyCost);
    }

    [Fact]
    public void Plan_RejectsABadShare()
    {
        var ex = Assert.Throws<EconomicsInputException>(() => HybridPlanner.Plan(Profile(), Traffic(), Hosted(), 1.5));
        Assert.Contains("hybrid_hosted_share", ex.Message, StringComparison.Ordinal);
    }
}
