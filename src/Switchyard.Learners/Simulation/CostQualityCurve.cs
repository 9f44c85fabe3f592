using System.Text.Json.Serialization;
using Switchyard.Evaluation.Metrics;

namespace Switchyard.Routing.Learners.Simulation;

/// <summary>One operating point of a router or model: mean cost per request and mean quality on a test set.</summary>
/// <param name="Cost">Mean cost per request (dollars, or any unit shared by every point compared).</param>
/// <param name="Quality">Mean quality, normally in [0, 1].</param>
public sealed record CostQualityPoint(
    [property: JsonPropertyName("cost")] double Cost,
    [property: JsonPropertyName("quality")] double Quality);

/// <summary>
/// RouterBench's cost–quality maths (Hu et al. 2024, "RouterBench", arXiv 2403.12031, §4 and
/// <c>evaluation/AIQ.py</c>) for any number of points: the non-decreasing convex hull of a router's (cost, quality)
/// points and its AIQ, the average quality of that hull over a cost range.
/// </summary>
/// <remarks>
/// <para>
/// <b>Hull</b>: the upper convex hull of the points, left to right, cut after its first highest point: a router can
/// mix any two of its operating points (so the segments between them are reachable) and can always spend more for the
/// same quality (so beyond its best point it is flat). A point below the hull (dominated) is not on it.
/// </para>
/// <para>
/// <b>AIQ</b> = 1 / (c_max − c_min) · ∫ R̃(c) dc over [c_min, c_max], R̃ the hull, extended flat to the right of its
/// last point and taken as 0 to the left of its first point (a router cannot be cheaper than its cheapest point), as in
/// RouterBench's <c>calc_AIQ</c>. For a set of models c_min and c_max are the cheapest and dearest single model's mean
/// cost; a single model is one point, so its AIQ is its quality times the share of the range to its right.
/// This is the same definition as <c>RoutingEvaluator.Aiq</c> for two models.
/// </para>
/// </remarks>
public static class CostQualityCurve
{
    /// <summary>The vertices of the non-decreasing convex hull: by increasing cost and strictly increasing quality.</summary>
    /// <param name="points">Any points (of several at one cost only the best counts).</param>
    /// <returns>A subset of <paramref name="points"/>, cheapest first.</returns>
    /// <exception cref="ArgumentException">There are no points, or a cost or quality is not finite.</exception>
    public static IReadOnlyList<CostQualityPoint> Hull(IReadOnlyList<CostQualityPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Any(p => p is null))
        {
            throw new ArgumentException("Every point needs a finite cost and quality.", nameof(points));
        }

        // The hull is RoutingEvaluator's; each point's index rides in StrongShare (unused by the hull) to map back.
        var hull = RoutingEvaluator.NonDecreasingConvexHull(AsCurve(points));
        return [.. hull.Select(h => points[(int)h.StrongShare])];
    }

    /// <summary>RouterBench's AIQ of the points over [<paramref name="costMin"/>, <paramref name="costMax"/>].</summary>
    /// <param name="points">The router's points (any order; the hull is taken here).</param>
    /// <param name="costMin">Left end of the range (the cheapest single model's mean cost).</param>
    /// <param name="costMax">Right end of the range (the dearest single model's mean cost).</param>
    /// <returns>The area under the hull over the range divided by its width; NaN when <paramref name="costMax"/> is not above <paramref name="costMin"/>.</returns>
    /// <exception cref="ArgumentException">There are no points, or a value is not finite.</exception>
    public static double Aiq(IReadOnlyList<CostQualityPoint> points, double costMin, double costMax)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (!double.IsFinite(costMin) || !double.IsFinite(costMax))
        {
            throw new ArgumentException("The cost range must be finite.", nameof(costMin));
        }

        return RoutingEvaluator.Aiq(AsCurve(Hull(points)), costMin, costMax);
    }

    /// <summary>The hull's quality at <paramref name="cost"/>: linear between vertices, flat after the last.</summary>
    /// <param name="points">The router's points.</param>
    /// <param name="cost">The mean cost per request to read the hull at.</param>
    /// <returns>The quality, or NaN when <paramref name="cost"/> is below the cheapest point (the router cannot be that cheap).</returns>
    public static double QualityAt(IReadOnlyList<CostQualityPoint> points, double cost)
    {
        var hull = Hull(points);
        if (!(cost >= hull[0].Cost))
        {
            return double.NaN;
        }

        for (var i = 1; i < hull.Count; i++)
        {
            if (cost <= hull[i].Cost)
            {
                var (left, right) = (hull[i - 1], hull[i]);
                return left.Quality + ((right.Quality - left.Quality) * (cost - left.Cost) / (right.Cost - left.Cost));
            }
        }

        return hull[^1].Quality;
    }

    /// <summary>The least mean cost at which the hull reaches <paramref name="quality"/>.</summary>
    /// <param name="points">The router's points.</param>
    /// <param name="quality">The quality to reach.</param>
    /// <returns>The cost (the cheapest point's when it already reaches it), or NaN when no point reaches it.</returns>
    public static double CostAt(IReadOnlyList<CostQualityPoint> points, double quality)
    {
        var hull = Hull(points);
        if (double.IsNaN(quality) || hull[^1].Quality < quality)
        {
            return double.NaN;
        }

        if (hull[0].Quality >= quality)
        {
            return hull[0].Cost;
        }

        for (var i = 1; i < hull.Count; i++)
        {
            if (hull[i].Quality >= quality)
            {
                var (left, right) = (hull[i - 1], hull[i]);
                return left.Cost + ((right.Cost - left.Cost) * (quality - left.Quality) / (right.Quality - left.Quality));
            }
        }

        return double.NaN;
    }

    private static CurvePoint[] AsCurve(IReadOnlyList<CostQualityPoint> points) =>
        [.. points.Select((p, i) => new CurvePoint(i, p.Cost, p.Quality, double.NaN))];
}
