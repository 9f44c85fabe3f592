using Switchyard.Economics;
using static Switchyard.Tests.Economics.Tco.EconomicsFixtures;

namespace Switchyard.Tests.Economics.Tco;

public sealed class CrossoverTests
{
    [Fact]
    public void BreakEvenUtilization_HandWorked()
    {
        var point = Crossover.Find(Profile(), Traffic(), Hosted());

        // Hosted: (1000 × $1 + 500 × $5) / 1e6 = $0.0035/request = $7/M output tokens of the mix.
        Assert.Equal(HostedPerRequest, point.HostedCostPerRequest);
        Assert.Equal(7m, point.HostedPerMillionOutputTokens);

        // Replica at full load: $2 / 3.6 M tokens = $0.5556/M; U* = 0.5556 / 7 = 2 / 25.2 = 0.0794.
        Near(2m / 3.6m, point.ReplicaPerMillionOutputTokensAtFullLoad, 0.0000001m);
        Near(BreakEvenUtilization, point.BreakEvenUtilization!.Value);
        Near(0.8 / 1.5, point.UtilizationCeiling);
    }

    [Fact]
    public void BreakEvenVolume_HandWorked()
    {
        // k* = max(1, ⌈1459.2 / (0.0035 × Q − 1459.2)⌉) = 1 → V* = 2 × 1459.2 / 0.0035 = 833,828.57 requests/month.
        var point = Crossover.Find(Profile(), Traffic(), Hosted());
        Near(2 * 1459.2 / 0.0035, point.BreakEvenMonthlyRequests!.Value);
        Near(2 * 1459.2 / 0.0035 / 30.4, point.BreakEvenRequestsPerDay!.Value);
        Assert.Equal(2, point.BreakEvenReplicas);
        Near(2918.4m, point.BreakEvenMonthlyCost, 0.0001m);
    }

    [Fact]
    public void BreakEvenVolume_WithOps_LandsOnALaterStep()
    {
        // ops $20,000: k* = ⌈(1459.2 + 20000) / (0.0035 Q − 1459.2)⌉ = ⌈2.571⌉ = 3 → V* = (4 × 1459.2 + 20000) / 0.0035.
        var profile = Profile() with { OpsMonthlyCost = 20_000m };
        var point = Crossover.Find(profile, Traffic(), Hosted());
        Near(((4 * 1459.2) + 20_000) / 0.0035, point.BreakEvenMonthlyRequests!.Value);
        Assert.Equal(4, point.BreakEvenReplicas);
        Near(ClosedFormVolume(profile, Traffic(), Hosted())!.Value, point.BreakEvenMonthlyRequests.Value);
    }

    public static TheoryData<double, double, int, double, double, double, double> Grid()
    {
        var data = new TheoryData<double, double, int, double, double, double, double>();
        foreach (var price in new[] { 0.6, 2.0, 7.5 })
        {
            foreach (var throughput in new[] { 300.0, 1000.0, 4000.0 })
            {
                foreach (var redundancy in new[] { 0, 1, 2 })
                {
                    foreach (var ops in new[] { 0.0, 3000.0, 25_000.0 })
                    {
                        foreach (var peak in new[] { 1.0, 1.5, 4.0 })
                        {
                            foreach (var hostedOutput in new[] { 0.6, 5.0, 15.0 })
                            {
                                data.Add(price, throughput, redundancy, ops, peak, hostedOutput / 5, hostedOutput);
                            }
                        }
                    }
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Grid))]
    public void SearchedVolume_EqualsClosedForm(double price, double throughput, int redundancy, double ops, double peakToMean, double hostedInput, double hostedOutput)
    {
        var profile = Profile() with { PricePerHour = (decimal)price, OutputTokensPerSecond = throughput, Redundancy = redundancy, OpsMonthlyCost = (decimal)ops };
        var traffic = Traffic(peakToMean: peakToMean);
        var hosted = new HostedPrice("h", (decimal)hostedInput, (decimal)hostedOutput);

        var point = Crossover.Find(profile, traffic, hosted);
        var expected = ClosedFormVolume(profile, traffic, hosted);
        if (expected is null)
        {
            Assert.Null(point.BreakEvenMonthlyRequests);
            return;
        }

        Assert.NotNull(point.BreakEvenMonthlyRequests);
        Near(expected.Value, point.BreakEvenMonthlyRequests.Value, 1e-9);

        // Self-hosting costs no more at the volume found, and more just below it.
        var perRequest = hosted.CostPerRequest(1000, 500);
        var v = point.BreakEvenMonthlyRequests.Value;
        Assert.True(CostModel.Evaluate(profile, traffic.AtMonthlyVolume(v)).MonthlyCost <= (decimal)v * perRequest);
        var below = v * (1 - 1e-7);
        Assert.True(CostModel.Evaluate(profile, traffic.AtMonthlyVolume(below)).MonthlyCost > (decimal)below * perRequest);

        // Without operations the fleet utilization at the crossover volume is U*.
        if (ops == 0)
        {
            Near(point.BreakEvenUtilization!.Value, CostModel.Evaluate(profile, traffic.AtMonthlyVolume(v)).Utilization, 1e-8);
        }
    }

    [Fact]
    public void NoCrossover_WhenUStarIsAboveTheCeiling()
    {
        // Hosted $0.15/$0.60: $0.00045/request → U* = 2 / (3.6e3 × 0.9) = 0.617 > 0.8 / 1.5 = 0.533.
        var point = Crossover.Find(Profile(), Traffic(), new HostedPrice("cheap", 0.15m, 0.60m));
        Near(2.0 / 3.24, point.BreakEvenUtilization!.Value);
        Assert.True(point.BreakEvenUtilization > point.UtilizationCeiling);
        Assert.Null(point.BreakEvenMonthlyRequests);
        Assert.Null(point.BreakEvenReplicas);

        // Flatter traffic raises the ceiling (0.8) above U*: now it crosses.
        Assert.NotNull(Crossover.Find(Profile(), Traffic(peakToMean: 1.0), new HostedPrice("cheap", 0.15m, 0.60m)).BreakEvenMonthlyRequests);
    }

    [Fact]
    public void FreeHosting_HasNoBreakEven()
    {
        var point = Crossover.Find(Profile(), Traffic(), new HostedPrice("free", 0m, 0m));
        Assert.Null(point.BreakEvenUtilization);
        Assert.Null(point.BreakEvenMonthlyRequests);
    }

    [Fact]
    public void FindAll_OnePointPerHostedOption_InOrder()
    {
        var points = Crossover.FindAll(Profile(), Traffic(), [Hosted(), new HostedPrice("cheap", 0.15m, 0.60m), new HostedPrice("dear", 3m, 15m)]);
        Assert.Equal(["vendor/model-x", "cheap", "dear"], points.Select(p => p.HostedModel));
        Assert.True(points[2].BreakEvenMonthlyRequests < points[0].BreakEvenMonthlyRequests);
        Near(BreakEvenUtilization / 3, points[2].BreakEvenUtilization!.Value);
    }

    /// <summary>
    /// Closed form, independent of the code's search: S(V) = (max(1, ⌈V/Q⌉) + spares) R + ops against c V;
    /// the first step k whose right end kQ is cheaper satisfies k (cQ − R) ≥ spares R + ops, and V* = S_k / c.
    /// </summary>
    private static double? ClosedFormVolume(SelfHostedProfile profile, TrafficProfile traffic, HostedPrice hosted)
    {
        var r = (double)profile.PricePerHour!.Value * traffic.DaysPerMonth * 24;
        var c = (double)hosted.CostPerRequest(traffic.InputTokens, traffic.OutputTokens);
        var q = profile.OutputTokensPerSecond * profile.MaxUtilization / (traffic.OutputTokens * traffic.PeakToMean) * 86_400 * traffic.DaysPerMonth;
        var ops = (double)(profile.OpsMonthlyCost ?? 0);
        if (c * q <= r)
        {
            return null;
        }

        var k = Math.Max(1, Math.Ceiling(((profile.Redundancy * r) + ops) / ((c * q) - r)));
        return (((k + profile.Redundancy) * r) + ops) / c;
    }
}
