using Switchyard.Economics;
using static Switchyard.Tests.Economics.Tco.EconomicsFixtures;

namespace Switchyard.Tests.Economics.Tco;

public sealed class SensitivityTests
{
    private static readonly IReadOnlyList<SensitivityTable> Tables = Sensitivity.Analyze(Profile(), Traffic(60_000), Hosted());

    private static SensitivityTable Table(string parameter) => Assert.Single(Tables, t => t.Parameter == parameter);

    [Fact]
    public void FourTables_FiveDefaultFactors_BaseRowMatchesTheModel()
    {
        Assert.Equal(
            [SensitivityParameters.PricePerHour, SensitivityParameters.OutputTokensPerSecond, SensitivityParameters.RequestsPerDay, SensitivityParameters.HostedPrice],
            Tables.Select(t => t.Parameter));
        var self = CostModel.Evaluate(Profile(), Traffic(60_000));
        var crossover = Crossover.Find(Profile(), Traffic(60_000), Hosted());
        foreach (var table in Tables)
        {
            Assert.Equal([0.5, 0.75, 1.0, 1.5, 2.0], table.Rows.Select(r => r.Factor));
            var baseRow = table.Rows[2];
            Assert.Equal(self.MonthlyCost, baseRow.SelfHostedMonthly);
            Near(60_000 * 30.4m * HostedPerRequest, baseRow.HostedMonthly, 0.0001m);
            Assert.Equal(self.Replicas, baseRow.Replicas);
            Assert.Equal(crossover.BreakEvenMonthlyRequests, baseRow.CrossoverMonthlyRequests);
            Assert.Equal(Verdicts.SelfHost, baseRow.Cheaper);
        }
    }

    [Fact]
    public void PricePerHour_RaisesSelfHostedCostAndCrossover()
    {
        var rows = Table(SensitivityParameters.PricePerHour).Rows;
        Assert.Equal([1.0, 1.5, 2.0, 3.0, 4.0], rows.Select(r => r.Value));
        StrictlyIncreasing(rows.Select(r => (double)r.SelfHostedMonthly));
        Assert.All(rows, r => Assert.Equal(rows[0].HostedMonthly, r.HostedMonthly));
        Assert.All(rows, r => Near(BreakEvenUtilization * r.Factor, r.CrossoverUtilization!.Value)); // U* ∝ price
        NonDecreasing(rows.Select(r => r.CrossoverMonthlyRequests ?? double.PositiveInfinity));
    }

    [Fact]
    public void Throughput_LowersSelfHostedCostAndCrossover()
    {
        var rows = Table(SensitivityParameters.OutputTokensPerSecond).Rows;
        Assert.Equal([500.0, 750.0, 1000.0, 1500.0, 2000.0], rows.Select(r => r.Value));
        NonIncreasing(rows.Select(r => (double)r.SelfHostedMonthly));
        Assert.All(rows, r => Near(BreakEvenUtilization / r.Factor, r.CrossoverUtilization!.Value)); // U* ∝ 1 / throughput

        // Without ops the crossover (2 × $1,459.20 / $0.0035) is on the first step at every throughput: the minimum fleet
        // decides it. With $20,000/month of ops it lands on step 7 at 500 tok/s and step 2 at 2000 tok/s.
        Assert.All(rows, r => Near(2 * 1459.2 / 0.0035, r.CrossoverMonthlyRequests!.Value));
        var withOps = Sensitivity.Analyze(Profile() with { OpsMonthlyCost = 20_000m }, Traffic(60_000), Hosted())
            .Single(t => t.Parameter == SensitivityParameters.OutputTokensPerSecond).Rows;
        NonIncreasing(withOps.Select(r => r.CrossoverMonthlyRequests ?? double.PositiveInfinity));
        Near(((8 * 1459.2) + 20_000) / 0.0035, withOps[0].CrossoverMonthlyRequests!.Value);
        Near(((3 * 1459.2) + 20_000) / 0.0035, withOps[^1].CrossoverMonthlyRequests!.Value);
    }

    [Fact]
    public void Volume_ScalesHostedLinearly_LeavesCrossoverAlone()
    {
        var rows = Table(SensitivityParameters.RequestsPerDay).Rows;
        Assert.All(rows, r => Near(60_000 * (decimal)r.Factor * 30.4m * HostedPerRequest, r.HostedMonthly, 0.0001m));
        NonDecreasing(rows.Select(r => (double)r.SelfHostedMonthly));
        Assert.All(rows, r => Assert.Equal(rows[0].CrossoverMonthlyRequests, r.CrossoverMonthlyRequests));

        // From ×0.5 (30,000/day) up the volume is above the 27,429/day crossover: self-hosting is cheaper throughout.
        Assert.All(rows, r => Assert.Equal(Verdicts.SelfHost, r.Cheaper));
        Assert.All(rows, r => Assert.True(r.SelfHostedMonthly <= r.HostedMonthly));
    }

    [Fact]
    public void HostedPrice_ScalesHostedCost_LowersCrossover()
    {
        var rows = Table(SensitivityParameters.HostedPrice).Rows;
        Assert.All(rows, r => Near(60_000 * 30.4m * HostedPerRequest * (decimal)r.Factor, r.HostedMonthly, 0.0001m));
        Assert.All(rows, r => Near(BreakEvenUtilization / r.Factor, r.CrossoverUtilization!.Value));
        NonIncreasing(rows.Select(r => r.CrossoverMonthlyRequests ?? double.PositiveInfinity));
        Assert.All(rows, r => Assert.Equal(rows[0].SelfHostedMonthly, r.SelfHostedMonthly));
    }

    [Fact]
    public void CheaperFlips_AcrossTheCrossover()
    {
        // At 20,000/day hosting ($2,128) beats the minimum fleet ($2,918.40); doubling volume flips it.
        var rows = Table(SensitivityParameters.RequestsPerDay).Rows;
        var low = Sensitivity.Analyze(Profile(), Traffic(20_000), Hosted(), [1.0, 2.0]).Single(t => t.Parameter == SensitivityParameters.RequestsPerDay).Rows;
        Assert.Equal(Verdicts.Hosted, low[0].Cheaper);
        Assert.Equal(Verdicts.SelfHost, low[1].Cheaper);
        Assert.Equal(5, rows.Count);
    }

    [Fact]
    public void OwnedHardware_PriceFactorScalesPurchaseAndPower()
    {
        var owned = new SelfHostedProfile { PurchasePrice = 30_000m, AmortizationMonths = 36m, PowerWatts = 700, ElectricityPerKwh = 0.15m, OutputTokensPerSecond = 1000 };
        var rows = Sensitivity.Analyze(owned, Traffic(60_000), Hosted()).Single(t => t.Parameter == SensitivityParameters.PricePerHour).Rows;
        Near(2 * 2 * (30_000m / 36m + (0.7m * 729.6m * 0.15m)), rows[^1].SelfHostedMonthly, 0.0001m);
    }

    [Fact]
    public void BadFactors_AreRejected()
    {
        var ex = Assert.Throws<EconomicsInputException>(() => Sensitivity.Analyze(Profile(), Traffic(), Hosted(), [1.0, 0.0]));
        Assert.Contains("factors", ex.Message, StringComparison.Ordinal);
        Assert.Throws<EconomicsInputException>(() => Sensitivity.Analyze(Profile(), Traffic(), Hosted(), []));
    }

    private static void StrictlyIncreasing(IEnumerable<double> values)
    {
        var list = values.ToList();
        for (var i = 1; i < list.Count; i++)
        {
            Assert.True(list[i] > list[i - 1], $"not increasing at {i}: {string.Join(", ", list)}");
        }
    }

    private static void NonDecreasing(IEnumerable<double> values)
    {
        var list = values.ToList();
        for (var i = 1; i < list.Count; i++)
        {
            Assert.True(list[i] >= list[i - 1] - (1e-9 * Math.Abs(list[i - 1])), $"decreasing at {i}: {string.Join(", ", list)}");
        }
    }

    private static void NonIncreasing(IEnumerable<double> values) => NonDecreasing(values.Select(v => -v));
}
