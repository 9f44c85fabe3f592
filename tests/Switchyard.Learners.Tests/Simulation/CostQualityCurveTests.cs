using Switchyard.Evaluation.Metrics;
using Switchyard.Routing.Learners.Simulation;

namespace Switchyard.Learners.Tests.Simulation;

/// <summary>RouterBench's hull and AIQ on hand-computed examples.</summary>
public sealed class CostQualityCurveTests
{
    private const double Tolerance = 1e-12;

    [Fact]
    public void Two_points_spanning_the_range_give_the_trapezoid()
    {
        // Line from (0, 0.5) to (1, 1): area (0.5 + 1) / 2 = 0.75 over a range of 1.
        Assert.Equal(0.75, CostQualityCurve.Aiq([P(0, 0.5), P(1, 1)], 0, 1), Tolerance);

        // The same over [0, 2] with costs doubled: normalised by the range, so the same value.
        Assert.Equal(0.75, CostQualityCurve.Aiq([P(2, 1), P(0, 0.5)], 0, 2), Tolerance);
    }

    [Fact]
    public void A_single_point_counts_zero_to_its_left_and_flat_to_its_right()
    {
        // (0.5, 0.8) on [0, 1]: 0 on [0, 0.5], 0.8 on [0.5, 1] -> 0.4.
        Assert.Equal(0.4, CostQualityCurve.Aiq([P(0.5, 0.8)], 0, 1), Tolerance);

        // The cheapest model of the range: its quality all the way; the dearest: nothing.
        Assert.Equal(0.3, CostQualityCurve.Aiq([P(0, 0.3)], 0, 1), Tolerance);
        Assert.Equal(0, CostQualityCurve.Aiq([P(1, 0.9)], 0, 1), Tolerance);
    }

    [Fact]
    public void Points_outside_the_range_are_clipped_to_it()
    {
        // Line (0, 0.5) - (2, 1) is 0.5 + 0.25c: on [0, 1] the area is (0.5 + 0.75) / 2 = 0.625.
        Assert.Equal(0.625, CostQualityCurve.Aiq([P(0, 0.5), P(2, 1)], 0, 1), Tolerance);

        // Line (-1, 0.2) - (1, 0.6) is 0.4 + 0.2c: on [0, 1] the area is (0.4 + 0.6) / 2 = 0.5.
        Assert.Equal(0.5, CostQualityCurve.Aiq([P(-1, 0.2), P(1, 0.6)], 0, 1), Tolerance);

        // A point entirely above the range adds nothing.
        Assert.Equal(0, CostQualityCurve.Aiq([P(3, 1)], 0, 1), Tolerance);
    }

    [Fact]
    public void Dominated_points_are_not_on_the_hull()
    {
        // (0.5, 0.5) lies below the line (0, 0.4) - (1, 1), which is 0.7 there; (0.8, 0.3) is below too.
        var points = new[] { P(0, 0.4), P(0.5, 0.5), P(0.8, 0.3), P(1, 1) };
        Assert.Equal([P(0, 0.4), P(1, 1)], CostQualityCurve.Hull(points));
        Assert.Equal(0.7, CostQualityCurve.Aiq(points, 0, 1), Tolerance);

        // A dearer but worse model: the hull stops at the best point and stays flat.
        Assert.Equal([P(0, 0.6)], CostQualityCurve.Hull([P(0, 0.6), P(1, 0.5)]));
        Assert.Equal(0.6, CostQualityCurve.Aiq([P(0, 0.6), P(1, 0.5)], 0, 1), Tolerance);

        // Of two points at one cost, the better; a collinear middle point is dropped.
        Assert.Equal([P(0.5, 0.6)], CostQualityCurve.Hull([P(0.5, 0.2), P(0.5, 0.6)]));
        Assert.Equal([P(0, 0), P(1, 1)], CostQualityCurve.Hull([P(0, 0), P(0.5, 0.5), P(1, 1)]));
    }

    [Fact]
    public void A_concave_curve_keeps_every_point()
    {
        // 0.5 * (0 + 0.8) / 2 + 0.5 * (0.8 + 1) / 2 = 0.2 + 0.45.
        var points = new[] { P(0, 0), P(0.5, 0.8), P(1, 1) };
        Assert.Equal(points, CostQualityCurve.Hull(points));
        Assert.Equal(0.65, CostQualityCurve.Aiq(points, 0, 1), Tolerance);
    }

    [Fact]
    public void Quality_at_a_cost_and_cost_for_a_quality_read_the_hull()
    {
        var points = new[] { P(0, 0.4), P(0.5, 0.5), P(1, 1) };
        Assert.Equal(0.55, CostQualityCurve.QualityAt(points, 0.25), Tolerance);
        Assert.Equal(1, CostQualityCurve.QualityAt(points, 5), Tolerance);
        Assert.True(double.IsNaN(CostQualityCurve.QualityAt(points, -0.1)));

        Assert.Equal(0.5, CostQualityCurve.CostAt(points, 0.7), Tolerance);
        Assert.Equal(0, CostQualityCurve.CostAt(points, 0.3), Tolerance);
        Assert.True(double.IsNaN(CostQualityCurve.CostAt(points, 1.1)));
    }

    [Fact]
    public void An_empty_range_is_NaN_and_bad_points_throw()
    {
        Assert.True(double.IsNaN(CostQualityCurve.Aiq([P(0, 1)], 1, 1)));
        Assert.Throws<ArgumentException>(() => CostQualityCurve.Aiq([], 0, 1));
        Assert.Throws<ArgumentException>(() => CostQualityCurve.Hull([P(double.NaN, 1)]));
    }

    [Fact]
    public void Matches_the_two_model_evaluators_aiq_on_random_points()
    {
        var random = new Random(5);
        for (var run = 0; run < 200; run++)
        {
            var points = Enumerable.Range(0, random.Next(1, 12)).Select(_ => P(random.NextDouble() * 3 - 0.5, random.NextDouble())).ToArray();
            var expected = RoutingEvaluator.Aiq([.. points.Select(p => new CurvePoint(0, p.Cost, p.Quality, 0))], 0, 2);
            Assert.Equal(expected, CostQualityCurve.Aiq(points, 0, 2), 1e-9);
        }
    }

    private static CostQualityPoint P(double cost, double quality) => new(cost, quality);
}
