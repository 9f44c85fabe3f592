using Switchyard.Routing.Difficulty;

namespace Switchyard.Tests.Routing.Difficulty;

public sealed class ThresholdCalibratorTests
{
    // p(good) ascending; the weak model fails the first two, the strong succeeds everywhere:
    // weak mean 0.5, strong mean 1, escalating the k lowest gives quality (2 + k)/4 for k ≤ 2.
    private static readonly CalibrationSet Set = new([0.4, 0.1, 0.3, 0.2], [1, 0, 1, 0], [1, 1, 1, 1]);

    [Theory]
    [InlineData(0.0, 0.0, 0.0, 0.0)]
    [InlineData(0.25, 0.15, 0.25, 0.5)]
    [InlineData(0.5, 0.25, 0.5, 1.0)]
    [InlineData(0.75, 0.35, 0.75, 1.0)]
    [InlineData(1.0, 1.0, 1.0, 1.0)]
    public void StrongShare_ThresholdBetweenNeighbours(double share, double threshold, double actualShare, double pgr)
    {
        var t = ThresholdCalibrator.ForStrongShare(Set, share);
        Assert.Equal(threshold, t.Threshold, 9);
        Assert.Equal(actualShare, t.StrongShare, 9);
        Assert.Equal(pgr, t.Pgr, 9);
    }

    [Theory]
    [InlineData(0.5, 0.15, 0.25)]
    [InlineData(0.9, 0.25, 0.5)]
    [InlineData(1.0, 0.25, 0.5)]
    [InlineData(0.0, 0.0, 0.0)]
    public void QualityTarget_FewestEscalationsThatReachIt(double target, double threshold, double share)
    {
        var t = ThresholdCalibrator.ForQuality(Set, target);
        Assert.Equal(threshold, t.Threshold, 9);
        Assert.Equal(share, t.StrongShare, 9);
        Assert.True(t.Pgr >= target - 1e-9);
    }

    [Fact]
    public void StrongNoBetter_NothingEscalates()
    {
        var set = new CalibrationSet([0.1, 0.9], [1, 1], [1, 0]);
        var t = ThresholdCalibrator.ForQuality(set, 0.9);
        Assert.Equal(0, t.StrongShare);
        Assert.False(t.Escalates(0.0001));
    }

    [Fact]
    public void Escalates_StrictlyBelowThreshold_AndOneMeansAll()
    {
        var t = new CalibratedThreshold(0.5, 0, 0, "x");
        Assert.True(t.Escalates(0.4999));
        Assert.False(t.Escalates(0.5));
        Assert.True(new CalibratedThreshold(1, 1, 1, "x").Escalates(1.0));
    }

    [Fact]
    public void TargetsOutsideZeroToOne_AreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ThresholdCalibrator.ForStrongShare(Set, 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => ThresholdCalibrator.ForQuality(Set, -0.1));
    }
}
