using Switchyard.Evaluation.Metrics;

namespace Switchyard.Tests.Evaluation.Metrics;

/// <summary>APGR, CPT and AIQ on hand-made curves, each value worked out on paper.</summary>
public sealed class CurveMetricTests
{
    private const int Digits = 12;

    private static CurvePoint Share(double share, double pgr) => new(share, share, 0, pgr);

    private static CurvePoint CostQuality(double cost, double quality) => new(0, cost, quality, 0);

    [Fact]
    public void Apgr_IsTheTrapezoidAreaUnderPgrOverTheShareRange()
    {
        // (0,0)-(0.2,0.6): 0.2·0.3 = 0.06; (0.2,0.6)-(1,1): 0.8·0.8 = 0.64.
        Assert.Equal(0.70, RoutingEvaluator.Apgr([Share(1, 1), Share(0, 0), Share(0.2, 0.6)]), Digits);
    }

    [Fact]
    public void Apgr_DividesByTheShareRangeWhenTheCurveDoesNotSpanZeroToOne()
    {
        // From 0.5 to 1 with PGR 0.5 → 1: area 0.375 over a range of 0.5.
        Assert.Equal(0.75, RoutingEvaluator.Apgr([Share(0.5, 0.5), Share(1, 1)]), Digits);
    }

    [Fact]
    public void Apgr_OfPointsAtOneShare_IsTheirMeanPgr()
    {
        Assert.Equal(0.4, RoutingEvaluator.Apgr([Share(0.3, 0.4)]), Digits);
        Assert.Equal(0.5, RoutingEvaluator.Apgr([Share(0.3, 0.4), Share(0.3, 0.6)]), Digits);
    }

    [Fact]
    public void Apgr_IsNaNWhenPgrIsUndefined()
    {
        Assert.True(double.IsNaN(RoutingEvaluator.Apgr([Share(0, double.NaN), Share(1, double.NaN)])));
    }

    [Fact]
    public void Cpt_InterpolatesLinearlyBetweenTheTwoPointsAroundTheTarget()
    {
        CurvePoint[] curve = [Share(1, 1), Share(0.5, 0.4), Share(0, 0)];
        Assert.Equal(0.75, RoutingEvaluator.Cpt(curve, 0.7), Digits); // 0.5 + 0.3·0.5/0.6
        Assert.Equal(0.25, RoutingEvaluator.Cpt(curve, 0.2), Digits); // 0 + 0.2·0.5/0.4
        Assert.Equal(0.5, RoutingEvaluator.Cpt(curve, 0.4), Digits); // exactly on a point
    }

    [Fact]
    public void Cpt_TakesTheFirstCrossingOnANonMonotoneCurve()
    {
        CurvePoint[] curve = [Share(0, 0), Share(0.2, 0.6), Share(0.4, 0.3), Share(0.6, 0.9), Share(1, 1)];
        Assert.Equal(0.2 * 0.5 / 0.6, RoutingEvaluator.Cpt(curve, 0.5), Digits);
        Assert.Equal(0.4 + (0.4 * 0.2 / 0.6), RoutingEvaluator.Cpt(curve, 0.7), Digits);
    }

    [Fact]
    public void Cpt_OnAPlateau_IsTheSmallestShareThatReachesTheTarget()
    {
        Assert.Equal(0.2, RoutingEvaluator.Cpt([Share(0, 0), Share(0.2, 0.5), Share(0.4, 0.5), Share(1, 1)], 0.5), Digits);
    }

    [Fact]
    public void Cpt_IsTheFirstShareWhenTheFirstPointAlreadyReachesTheTarget()
    {
        Assert.Equal(0.1, RoutingEvaluator.Cpt([Share(0.1, 0.3), Share(1, 1)], 0.2), Digits);
    }

    [Fact]
    public void Cpt_IsOneWhenTheTargetIsNeverReached()
    {
        Assert.Equal(1.0, RoutingEvaluator.Cpt([Share(0, 0), Share(0.5, 0.9)], 0.95));
        Assert.Equal(1.0, RoutingEvaluator.Cpt([Share(0, 0)], 0.2));
    }

    [Fact]
    public void Cpt_IsNaNWhenPgrIsUndefined()
    {
        Assert.True(double.IsNaN(RoutingEvaluator.Cpt([Share(0, double.NaN), Share(1, double.NaN)], 0.5)));
    }

    [Fact]
    public void Aiq_HoldsTheHullFlatAfterItsHighestPoint()
    {
        // Hull (0,0.5)-(0.5,0.9), then flat at 0.9 (not down to 0.7): 0.5·0.7 + 0.5·0.9 = 0.8.
        CurvePoint[] points = [CostQuality(0, 0.5), CostQuality(0.5, 0.9), CostQuality(1, 0.7)];
        Assert.Equal(0.80, RoutingEvaluator.Aiq(points, 0, 1), Digits);
    }

    [Fact]
    public void Aiq_IgnoresAPointUnderTheHull()
    {
        // The chord at cost 0.25 is at 0.7, above 0.6: the point changes nothing.
        CurvePoint[] points = [CostQuality(0, 0.5), CostQuality(0.25, 0.6), CostQuality(0.5, 0.9), CostQuality(1, 0.7)];
        Assert.Equal(0.80, RoutingEvaluator.Aiq(points, 0, 1), Digits);

        var hull = RoutingEvaluator.NonDecreasingConvexHull(points);
        Assert.Equal(new (double, double)[] { (0.0, 0.5), (0.5, 0.9) }, hull.Select(p => (p.Cost, p.Quality)));
    }

    [Fact]
    public void Aiq_CountsAPointAboveTheChord()
    {
        // (0,0.5)-(0.25,0.8): 0.1625; (0.25,0.8)-(0.5,0.9): 0.2125; flat 0.9 over 0.5: 0.45.
        CurvePoint[] points = [CostQuality(0, 0.5), CostQuality(0.25, 0.8), CostQuality(0.5, 0.9), CostQuality(1, 0.7)];
        Assert.Equal(0.825, RoutingEvaluator.Aiq(points, 0, 1), Digits);
    }

    [Fact]
    public void Aiq_KeepsTheBestOfPointsAtOneCost()
    {
        CurvePoint[] points = [CostQuality(0, 0.2), CostQuality(0, 0.4), CostQuality(1, 0.4)];
        Assert.Equal(0.4, RoutingEvaluator.Aiq(points, 0, 1), Digits);
        Assert.Single(RoutingEvaluator.NonDecreasingConvexHull(points));
    }

    [Fact]
    public void Aiq_CountsNothingBelowTheCheapestPoint()
    {
        Assert.Equal(0.0, RoutingEvaluator.Aiq([CostQuality(1, 0.9)], 0, 1), Digits);
        Assert.Equal(0.4, RoutingEvaluator.Aiq([CostQuality(0.5, 0.8)], 0, 1), Digits);
        Assert.Equal(0.9, RoutingEvaluator.Aiq([CostQuality(0, 0.9)], 0, 1), Digits);
    }

    [Fact]
    public void Aiq_IntegratesOnlyInsideTheCostRange()
    {
        // The line from (0,0) to (2,1) on [0,1]: ∫ x/2 = 0.25. On [1,3]: (0.5+1)/2 over [1,2] plus 1 over [2,3] = 1.75 / 2.
        CurvePoint[] points = [CostQuality(0, 0), CostQuality(2, 1)];
        Assert.Equal(0.25, RoutingEvaluator.Aiq(points, 0, 1), Digits);
        Assert.Equal(0.875, RoutingEvaluator.Aiq(points, 1, 3), Digits);
    }

    [Fact]
    public void Aiq_IsNaNWithoutACostRange()
    {
        Assert.True(double.IsNaN(RoutingEvaluator.Aiq([CostQuality(0, 0.5)], 1, 1)));
    }

    [Fact]
    public void EmptyOrNonFiniteInput_Throws()
    {
        Assert.Throws<ArgumentException>(() => RoutingEvaluator.Apgr([]));
        Assert.Throws<ArgumentException>(() => RoutingEvaluator.Cpt([], 0.5));
        Assert.Throws<ArgumentException>(() => RoutingEvaluator.Aiq([], 0, 1));
        Assert.Throws<ArgumentException>(() => RoutingEvaluator.Aiq([CostQuality(double.NaN, 0.5)], 0, 1));
    }
}
