using Switchyard.Routing.Difficulty;

namespace Switchyard.Tests.Routing.Difficulty;

public sealed class RouteThresholdCalibratorTests
{
    /// <summary>
    /// 300 prompts in three tiers: the cheapest model (cost 1) is right on tier 0, the middle (cost 5) on tiers 0–1,
    /// the strongest (cost 20) on all. Predictions are noisy but ordered: a perfect router has quality 1 at mean cost
    /// (1 + 5 + 20) / 3.
    /// </summary>
    private static RouteCalibrationSet ThreeTiers(int n = 300, int seed = 1)
    {
        var random = new Random(seed);
        var p0 = new double[n];
        var p1 = new double[n];
        var s = new double[3][];
        var c = new double[3][];
        for (var m = 0; m < 3; m++)
        {
            s[m] = new double[n];
            c[m] = new double[n];
        }

        for (var i = 0; i < n; i++)
        {
            var tier = i % 3;
            p0[i] = Math.Clamp((tier == 0 ? 0.8 : 0.2) + ((random.NextDouble() - 0.5) * 0.3), 0, 1);
            p1[i] = Math.Clamp((tier <= 1 ? 0.8 : 0.2) + ((random.NextDouble() - 0.5) * 0.3), 0, 1);
            s[0][i] = tier == 0 ? 1 : 0;
            s[1][i] = tier <= 1 ? 1 : 0;
            s[2][i] = 1;
            (c[0][i], c[1][i], c[2][i]) = (1, 5, 20);
        }

        return new RouteCalibrationSet([p0, p1], s, c);
    }

    [Fact]
    public void Quality_FullGap_IsReachedWithoutSendingEverythingToTheStrongest()
    {
        var t = RouteThresholdCalibrator.ForQuality(ThreeTiers(), 1.0);

        Assert.Equal(1.0, t.Pgr, 9);
        Assert.Equal(1.0 / 3, t.StrongShare, 2);
        Assert.Equal((1 + 5 + 20) / 3.0, t.MeanCost!.Value, 6);
        Assert.Equal("pgr 1", t.Target);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.2)]
    [InlineData(0.5)]
    [InlineData(1.0)]
    public void StrongShare_IsHitOnTheSet(double share)
    {
        var t = RouteThresholdCalibrator.ForStrongShare(ThreeTiers(), share);

        Assert.Equal(share, t.StrongShare, 2);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(4.0)]
    [InlineData(8.667)]
    [InlineData(20.0)]
    public void CostBudget_BestQualityWithinTheBudget(double budget)
    {
        var set = ThreeTiers();
        var t = RouteThresholdCalibrator.ForCostBudget(set, budget);

        Assert.True(t.MeanCost <= budget + 1e-9, $"mean cost {t.MeanCost} over budget {budget}");
        var better = RouteThresholdCalibrator.Sweep(set).Where(p => p.MeanCost <= budget + 1e-9 && p.Quality > t.Quality!.Value + 1e-12);
        Assert.Empty(better);
    }

    [Fact]
    public void CostBudget_BelowTheCheapest_TakesTheCheapestThreshold()
    {
        var t = RouteThresholdCalibrator.ForCostBudget(ThreeTiers(), 0.5);

        Assert.Equal(1.0, t.MeanCost!.Value, 9);
        Assert.Equal(0, t.StrongShare);
    }

    [Fact]
    public void HeldOut_ThresholdFromOneHalf_MeetsTheTargetOnTheOtherWithinNoise()
    {
        var calibrate = ThreeTiers(600, seed: 2);
        var heldOut = ThreeTiers(600, seed: 3);
        var t = RouteThresholdCalibrator.ForStrongShare(calibrate, 0.4);

        var share = Enumerable.Range(0, heldOut.Count).Count(i => t.Escalates(heldOut.PGood[0][i]) && t.Escalates(heldOut.PGood[1][i])) / (double)heldOut.Count;
        Assert.InRange(share, 0.33, 0.47);
    }

    [Fact]
    public void TwoModels_AgreesWithThePairCalibrator()
    {
        var random = new Random(9);
        var n = 200;
        var pair = new CalibrationSet(
            [.. Enumerable.Range(0, n).Select(_ => Math.Round(random.NextDouble(), 3))],
            [.. Enumerable.Range(0, n).Select(_ => random.NextDouble() < 0.5 ? 1.0 : 0.0)],
            [.. Enumerable.Range(0, n).Select(_ => random.NextDouble() < 0.8 ? 1.0 : 0.0)]);
        var set = RouteCalibrationSet.FromPair(pair);

        foreach (var share in new[] { 0.1, 0.3, 0.7 })
        {
            Assert.Equal(ThresholdCalibrator.ForStrongShare(pair, share).StrongShare, RouteThresholdCalibrator.ForStrongShare(set, share).StrongShare, 9);
        }
    }

    [Fact]
    public void BadSets_AreRefused()
    {
        Assert.Throws<FormatException>(() => RouteThresholdCalibrator.Sweep(new RouteCalibrationSet([[0.5]], [[1]], [[0]])));
        Assert.Throws<FormatException>(() => RouteThresholdCalibrator.Sweep(new RouteCalibrationSet([[1.5]], [[1], [1]], [[0], [1]])));
        Assert.Throws<FormatException>(() => RouteThresholdCalibrator.Sweep(new RouteCalibrationSet([[0.5]], [[1], [1]], [[0], [-1]])));
        Assert.Throws<ArgumentOutOfRangeException>(() => RouteThresholdCalibrator.ForCostBudget(ThreeTiers(), double.NaN));
    }
}
