namespace Switchyard.Evaluation.Metrics;

/// <summary>
/// Scores weak/strong routers on a test set with RouteLLM's APGR and CPT and RouterBench's AIQ, and builds the
/// reference routers (random, oracle, always-weak, always-strong) on the same data.
/// </summary>
/// <remarks>
/// <para>
/// <b>Threshold sweep</b> (RouteLLM <c>routellm/evals/benchmarks.py</c>, <c>evaluate</c>): the router's per-prompt scores
/// are cut into <see cref="ThresholdBins"/> (RouteLLM's <c>--num-results</c>, 10) equal-count bins with
/// <c>pd.qcut(..., retbins=True)</c>; each of the bins + 1 edges is a threshold. For every edge but the last a prompt goes
/// to the strong model when its score is ≥ the edge; for the last edge (the maximum score) when it is &gt; the edge, so the
/// sweep always runs from 100% to 0% strong calls. Tied scores therefore always move together. Duplicate edges (ties)
/// are kept, as RouteLLM's comment intends; pandas' default would instead raise "Bin edges must be unique".
/// </para>
/// <para>
/// <b>APGR</b> (RouteLLM <c>routellm/evals/evaluate.py</c>, <c>apgr_metric</c>/<c>auc_metric</c>): points sorted by strong
/// share, <c>np.trapz</c> of quality over the strong share, minus the same integral of the constant weak quality, divided
/// by that of strong minus weak; equivalently the trapezoid area under PGR divided by the share range (1 for a sweep).
/// </para>
/// <para>
/// <b>CPT(x)</b> (<c>evaluate.py</c>, <c>pct_call_metric</c>): RouteLLM calls <c>np.interp(weak + x·(strong − weak), quality,
/// strong%)</c>, i.e. linear interpolation of the strong share as a function of quality between sweep points. That call
/// assumes quality rises with the share; here it is the first crossing: the smallest share at which the piecewise-linear
/// curve reaches x, which is what <c>np.interp</c> returns on a non-decreasing curve, and defined on any curve.
/// </para>
/// <para>
/// <b>AIQ</b> (RouterBench <c>evaluation/AIQ.py</c>, <c>get_non_descreasing_convex_hull_of</c> and <c>calc_AIQ</c>; the paper's AIQ = 1/(c_max − c_min) ∫ R̃(c) dc over the router's non-decreasing convex hull R̃):
/// the upper convex hull of the router's (cost, quality) points, cut after its highest point and extended flat to the
/// right (a router can always spend more for the same quality), integrated with the trapezoid rule over
/// [<see cref="CostMin"/>, <see cref="CostMax"/>] and divided by that range. Below the router's cheapest point the
/// integrand is 0, as in <c>calc_AIQ</c>.
/// </para>
/// <para>
/// <b>Costs</b>: a point's cost is the mean per-prompt cost of the routing it stands for. Without prices the weak model
/// costs 0 and the strong 1, so cost is the share of strong calls and the AIQ is the hull's mean quality over 0–100%
/// strong calls. AIQ is normalised by the cost range, so any constant prices (the same for every prompt) give exactly
/// this value too; only per-prompt costs, where some prompts are dearer to send to the strong model, change it.
/// </para>
/// <para>
/// <b>Undefined PGR</b>: when the strong model's mean quality is not above the weak one's, PGR, APGR and CPT are
/// <see cref="double.NaN"/> (RouteLLM would divide by zero, or report a sign-flipped gap); AIQ is still defined.
/// </para>
/// </remarks>
public sealed class RoutingEvaluator
{
    /// <summary>RouteLLM's default number of threshold bins (<c>--num-results 10</c>): 11 thresholds, 11 curve points.</summary>
    public const int DefaultThresholdBins = 10;

    /// <summary>RouteLLM's default number of random-router runs averaged together (<c>--random-iters 10</c>).</summary>
    public const int DefaultRandomIterations = 10;

    private readonly double[] _weakQuality;
    private readonly double[] _strongQuality;
    private readonly double[] _weakCost;
    private readonly double[] _strongCost;
    private readonly double _weakQualitySum;
    private readonly double _weakCostSum;

    /// <summary>Creates an evaluator whose costs are the same for every prompt (by default weak 0, strong 1: cost = share of strong calls).</summary>
    /// <param name="weakQuality">The weak model's quality on each prompt (normally in [0, 1]).</param>
    /// <param name="strongQuality">The strong model's quality on each prompt, in the same order.</param>
    /// <param name="weakCost">The cost of one weak call.</param>
    /// <param name="strongCost">The cost of one strong call.</param>
    /// <param name="thresholdBins">How many quantile bins the threshold sweep uses (RouteLLM's <c>num_results</c>).</param>
    /// <exception cref="ArgumentException">The inputs are empty, of different lengths, or not finite.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="thresholdBins"/> is less than 1.</exception>
    public RoutingEvaluator(
        ReadOnlySpan<double> weakQuality,
        ReadOnlySpan<double> strongQuality,
        double weakCost = 0,
        double strongCost = 1,
        int thresholdBins = DefaultThresholdBins)
        : this(weakQuality, strongQuality, Repeat(weakCost, weakQuality.Length), Repeat(strongCost, weakQuality.Length), thresholdBins)
    {
    }

    /// <summary>Creates an evaluator with a weak and a strong cost for every prompt.</summary>
    /// <param name="weakQuality">The weak model's quality on each prompt (normally in [0, 1]).</param>
    /// <param name="strongQuality">The strong model's quality on each prompt, in the same order.</param>
    /// <param name="weakCost">What the weak model cost on each prompt.</param>
    /// <param name="strongCost">What the strong model cost on each prompt.</param>
    /// <param name="thresholdBins">How many quantile bins the threshold sweep uses (RouteLLM's <c>num_results</c>).</param>
    /// <exception cref="ArgumentException">The inputs are empty, of different lengths, or not finite.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="thresholdBins"/> is less than 1.</exception>
    public RoutingEvaluator(
        ReadOnlySpan<double> weakQuality,
        ReadOnlySpan<double> strongQuality,
        ReadOnlySpan<double> weakCost,
        ReadOnlySpan<double> strongCost,
        int thresholdBins = DefaultThresholdBins)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(thresholdBins, 1);
        if (weakQuality.IsEmpty)
        {
            throw new ArgumentException("At least one prompt is needed.", nameof(weakQuality));
        }

        RequireSameLength(weakQuality, strongQuality, nameof(strongQuality));
        RequireSameLength(weakQuality, weakCost, nameof(weakCost));
        RequireSameLength(weakQuality, strongCost, nameof(strongCost));
        _weakQuality = FiniteCopy(weakQuality, nameof(weakQuality));
        _strongQuality = FiniteCopy(strongQuality, nameof(strongQuality));
        _weakCost = FiniteCopy(weakCost, nameof(weakCost));
        _strongCost = FiniteCopy(strongCost, nameof(strongCost));
        ThresholdBins = thresholdBins;

        _weakQualitySum = Sum(_weakQuality);
        _weakCostSum = Sum(_weakCost);
        WeakMean = _weakQualitySum / Count;
        StrongMean = Sum(_strongQuality) / Count;
        CostMin = _weakCostSum / Count;
        CostMax = Sum(_strongCost) / Count;
    }

    /// <summary>The number of prompts.</summary>
    public int Count => _weakQuality.Length;

    /// <summary>How many quantile bins the threshold sweep uses; the sweep has one more threshold than this.</summary>
    public int ThresholdBins { get; }

    /// <summary>The weak model's mean quality (the always-weak router's quality; PGR 0).</summary>
    public double WeakMean { get; }

    /// <summary>The strong model's mean quality (the always-strong router's quality; PGR 1).</summary>
    public double StrongMean { get; }

    /// <summary>The mean cost per prompt of sending everything to the weak model: the left end of the AIQ range.</summary>
    public double CostMin { get; }

    /// <summary>The mean cost per prompt of sending everything to the strong model: the right end of the AIQ range.</summary>
    public double CostMax { get; }

    /// <summary>The performance gap recovered at <paramref name="quality"/>, or NaN when the strong model is on average no better than the weak.</summary>
    /// <param name="quality">A mean quality on this test set.</param>
    /// <returns>(quality − <see cref="WeakMean"/>) / (<see cref="StrongMean"/> − <see cref="WeakMean"/>).</returns>
    public double Pgr(double quality)
    {
        var gap = StrongMean - WeakMean;
        return gap > 0 ? (quality - WeakMean) / gap : double.NaN;
    }

    /// <summary>Evaluates a router from its per-prompt scores with RouteLLM's threshold sweep.</summary>
    /// <param name="router">The router's name.</param>
    /// <param name="routerScores">One score per prompt, in the evaluator's prompt order; higher means more inclined to call the strong model.</param>
    /// <returns>The metrics and the <see cref="ThresholdBins"/> + 1 sweep points (duplicates kept when scores tie), ordered by strong share.</returns>
    /// <exception cref="ArgumentException">The scores are of the wrong length or not finite.</exception>
    public RouterEvaluation Evaluate(string router, IReadOnlyList<double> routerScores)
    {
        ArgumentNullException.ThrowIfNull(router);
        ArgumentNullException.ThrowIfNull(routerScores);
        if (routerScores.Count != Count)
        {
            throw new ArgumentException($"Expected {Count} scores, one per prompt, but got {routerScores.Count}.", nameof(routerScores));
        }

        var keys = new double[Count];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = routerScores[i];
            if (!double.IsFinite(keys[i]))
            {
                throw new ArgumentException($"Score {i} is not a finite number.", nameof(routerScores));
            }
        }

        var curve = new List<CurvePoint>(ThresholdBins + 1);
        foreach (var (strongCalls, quality, cost) in Sweep(keys))
        {
            curve.Add(new CurvePoint((double)strongCalls / Count, cost, quality, Pgr(quality)));
        }

        return Summarise(router, curve);
    }

    /// <summary>
    /// The random router as RouteLLM evaluates it: each run draws a uniform score per prompt and is swept like any router;
    /// the runs' points are grouped by their number of strong calls and their quality and cost averaged.
    /// </summary>
    /// <remarks>
    /// RouteLLM (<c>evaluate.py</c>) seeds Python's <c>random</c> with 0, runs <c>--random-iters</c> (10) times and does
    /// <c>groupby("strong_percentage").mean()</c>. The draws here come from <paramref name="random"/>, so the numbers match
    /// RouteLLM's in distribution, not digit for digit. With distinct draws every run hits the same strong shares, so the
    /// curve has <see cref="ThresholdBins"/> + 1 points and its PGR is close to the share itself (APGR ≈ 0.5).
    /// </remarks>
    /// <param name="random">The seeded source of the scores.</param>
    /// <param name="iterations">How many runs to average.</param>
    /// <returns>The metrics of the averaged curve, named "random".</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="iterations"/> is less than 1.</exception>
    public RouterEvaluation Random(Random random, int iterations = DefaultRandomIterations)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);

        var groups = new SortedDictionary<int, (double Quality, double Cost, int Rows)>();
        var keys = new double[Count];
        for (var run = 0; run < iterations; run++)
        {
            for (var i = 0; i < keys.Length; i++)
            {
                keys[i] = random.NextDouble();
            }

            foreach (var (strongCalls, quality, cost) in Sweep(keys))
            {
                groups.TryGetValue(strongCalls, out var sum);
                groups[strongCalls] = (sum.Quality + quality, sum.Cost + cost, sum.Rows + 1);
            }
        }

        var curve = new List<CurvePoint>(groups.Count);
        foreach (var (strongCalls, sum) in groups)
        {
            var quality = sum.Quality / sum.Rows;
            curve.Add(new CurvePoint((double)strongCalls / Count, sum.Cost / sum.Rows, quality, Pgr(quality)));
        }

        return Summarise("random", curve);
    }

    /// <summary>
    /// The oracle: for each allowed share of strong calls, the best quality any routing can reach, spending calls only on
    /// prompts where the strong model is strictly better, largest gain first.
    /// </summary>
    /// <remarks>
    /// This is RouteLLM's <c>get_optimal_accuracy(strong_percent)</c> (<c>benchmarks.py</c>, MMLU and GSM8K) evaluated at
    /// the same grid as the sweep (RouteLLM plots it at 0, 10, …, 100%), generalised from right/wrong to graded quality:
    /// with a budget of b = share·n calls the quality is the weak total plus the ⌊b⌋ largest positive gains and the
    /// fraction b − ⌊b⌋ of the next one, all divided by n (for 0/1 quality exactly RouteLLM's weak + min(b, #gains)).
    /// Gains that tie are taken cheapest strong cost first. <see cref="CurvePoint.StrongShare"/> is the allowed share
    /// (the x-axis RouteLLM plots), <see cref="CurvePoint.Cost"/> what the calls actually used cost: once every positive
    /// gain is taken the oracle stops calling the strong model, which is RouterBench's oracle point.
    /// </remarks>
    /// <returns>The oracle's metrics, named "oracle".</returns>
    public RouterEvaluation Oracle()
    {
        var candidates = new List<int>();
        for (var i = 0; i < Count; i++)
        {
            if (_strongQuality[i] - _weakQuality[i] > 0)
            {
                candidates.Add(i);
            }
        }

        candidates.Sort((x, y) =>
        {
            var byGain = (_strongQuality[y] - _weakQuality[y]).CompareTo(_strongQuality[x] - _weakQuality[x]);
            if (byGain != 0)
            {
                return byGain;
            }

            var byCost = (_strongCost[x] - _weakCost[x]).CompareTo(_strongCost[y] - _weakCost[y]);
            return byCost != 0 ? byCost : x.CompareTo(y);
        });

        var gainPrefix = new double[candidates.Count + 1];
        var costPrefix = new double[candidates.Count + 1];
        for (var j = 0; j < candidates.Count; j++)
        {
            var i = candidates[j];
            gainPrefix[j + 1] = gainPrefix[j] + (_strongQuality[i] - _weakQuality[i]);
            costPrefix[j + 1] = costPrefix[j] + (_strongCost[i] - _weakCost[i]);
        }

        var curve = new List<CurvePoint>(ThresholdBins + 1);
        for (var k = 0; k <= ThresholdBins; k++)
        {
            var share = (double)k / ThresholdBins;
            var usable = Math.Min(Count * share, candidates.Count);
            var whole = (int)Math.Floor(usable);
            var fraction = usable - whole;
            var gain = gainPrefix[whole];
            var extraCost = costPrefix[whole];
            if (whole < candidates.Count && fraction > 0)
            {
                var next = candidates[whole];
                gain += fraction * (_strongQuality[next] - _weakQuality[next]);
                extraCost += fraction * (_strongCost[next] - _weakCost[next]);
            }

            var quality = usable > 0 ? (_weakQualitySum + gain) / Count : WeakMean;
            var cost = usable > 0 ? (_weakCostSum + extraCost) / Count : CostMin;
            curve.Add(new CurvePoint(share, cost, quality, Pgr(quality)));
        }

        return Summarise("oracle", curve);
    }

    /// <summary>The router that always calls the weak model: one point at 0% strong calls.</summary>
    /// <remarks>
    /// A one-point curve has no share range to integrate over (RouteLLM's formula gives 0/0); its APGR is taken as its
    /// PGR, 0. Its CPTs are 1 (it never reaches the target), and its AIQ is the weak quality (the flat extension).
    /// </remarks>
    /// <returns>The metrics, named "always-weak".</returns>
    public RouterEvaluation AlwaysWeak() =>
        Summarise("always-weak", [new CurvePoint(0, CostMin, WeakMean, Pgr(WeakMean))]);

    /// <summary>The router that always calls the strong model: one point at 100% strong calls.</summary>
    /// <remarks>
    /// Its APGR is its PGR, 1, and its CPTs are 1. Its AIQ is 0 when the strong model costs more than the weak: the
    /// integrand is 0 below a router's cheapest point (as in RouterBench's <c>calc_AIQ</c>), and this router has no point
    /// below <see cref="CostMax"/>.
    /// </remarks>
    /// <returns>The metrics, named "always-strong".</returns>
    public RouterEvaluation AlwaysStrong() =>
        Summarise("always-strong", [new CurvePoint(1, CostMax, StrongMean, Pgr(StrongMean))]);

    /// <summary>
    /// Average performance gap recovered: the trapezoid area under PGR against strong share, over the points sorted by
    /// share, divided by the share range (RouteLLM <c>apgr_metric</c>).
    /// </summary>
    /// <param name="curve">The router's points, in any order.</param>
    /// <returns>The APGR; for points that all share one strong share, their mean PGR; NaN if any PGR is NaN.</returns>
    /// <exception cref="ArgumentException">The curve is empty.</exception>
    public static double Apgr(IReadOnlyList<CurvePoint> curve)
    {
        var sorted = SortedByShare(curve);
        var range = sorted[^1].StrongShare - sorted[0].StrongShare;
        if (!(range > 0))
        {
            return sorted.Average(p => p.Pgr);
        }

        var area = 0.0;
        for (var i = 1; i < sorted.Length; i++)
        {
            area += (sorted[i].StrongShare - sorted[i - 1].StrongShare) * (sorted[i].Pgr + sorted[i - 1].Pgr) / 2;
        }

        return area / range;
    }

    /// <summary>
    /// Call-performance threshold: the smallest strong share at which the curve, linear between its points (sorted by
    /// share), reaches <paramref name="pgrTarget"/> (RouteLLM <c>pct_call_metric</c>).
    /// </summary>
    /// <param name="curve">The router's points, in any order.</param>
    /// <param name="pgrTarget">The PGR to reach, as a fraction (0.5 for CPT(50%)).</param>
    /// <returns>
    /// The share, in [0, 1]: the first point's share if that point already reaches the target; 1 if no point does
    /// (RouteLLM's <c>np.interp</c> clamps to the last point, which for a sweep is 100%); NaN if the target or any PGR is NaN.
    /// </returns>
    /// <exception cref="ArgumentException">The curve is empty.</exception>
    public static double Cpt(IReadOnlyList<CurvePoint> curve, double pgrTarget)
    {
        var sorted = SortedByShare(curve);
        if (double.IsNaN(pgrTarget) || sorted.Any(p => double.IsNaN(p.Pgr)))
        {
            return double.NaN;
        }

        if (sorted[0].Pgr >= pgrTarget)
        {
            return sorted[0].StrongShare;
        }

        for (var i = 1; i < sorted.Length; i++)
        {
            var (left, right) = (sorted[i - 1], sorted[i]);
            if (left.Pgr < pgrTarget && right.Pgr >= pgrTarget)
            {
                return left.StrongShare + ((pgrTarget - left.Pgr) * (right.StrongShare - left.StrongShare) / (right.Pgr - left.Pgr));
            }
        }

        return 1.0;
    }

    /// <summary>
    /// Average improvement in quality (RouterBench): the area under the non-decreasing convex hull of the points'
    /// (cost, quality) between <paramref name="costMin"/> and <paramref name="costMax"/>, divided by that range.
    /// </summary>
    /// <param name="points">The router's points; only <see cref="CurvePoint.Cost"/> and <see cref="CurvePoint.Quality"/> are read.</param>
    /// <param name="costMin">The left end of the cost range (normally the all-weak cost).</param>
    /// <param name="costMax">The right end of the cost range (normally the all-strong cost).</param>
    /// <returns>
    /// The AIQ, with the hull held flat from its highest point to <paramref name="costMax"/> and taken as 0 below its
    /// cheapest point; NaN when <paramref name="costMax"/> is not above <paramref name="costMin"/>.
    /// </returns>
    /// <exception cref="ArgumentException">There are no points, or a cost or quality is not finite.</exception>
    public static double Aiq(IReadOnlyList<CurvePoint> points, double costMin, double costMax)
    {
        var hull = NonDecreasingConvexHull(points);
        if (!(costMax > costMin))
        {
            return double.NaN;
        }

        var area = 0.0;
        for (var i = 1; i < hull.Count; i++)
        {
            area += ClippedTrapezoid(hull[i - 1], hull[i], costMin, costMax);
        }

        var top = hull[^1];
        var flatFrom = Math.Max(top.Cost, costMin);
        if (costMax > flatFrom)
        {
            area += top.Quality * (costMax - flatFrom);
        }

        return area / (costMax - costMin);
    }

    /// <summary>
    /// The vertices of the non-decreasing convex hull of the points in the cost–quality plane: the upper convex hull,
    /// left to right, up to its first highest point (beyond it the hull is flat at that quality).
    /// </summary>
    /// <param name="points">The points; of several at one cost only the best counts.</param>
    /// <returns>A subset of <paramref name="points"/>, by increasing cost and increasing quality.</returns>
    /// <exception cref="ArgumentException">There are no points, or a cost or quality is not finite.</exception>
    public static IReadOnlyList<CurvePoint> NonDecreasingConvexHull(IReadOnlyList<CurvePoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0)
        {
            throw new ArgumentException("At least one point is needed.", nameof(points));
        }

        if (points.Any(p => !double.IsFinite(p.Cost) || !double.IsFinite(p.Quality)))
        {
            throw new ArgumentException("Every point needs a finite cost and quality.", nameof(points));
        }

        var hull = new List<CurvePoint>(points.Count);
        foreach (var point in points.OrderBy(p => p.Cost).ThenByDescending(p => p.Quality))
        {
            if (hull.Count > 0 && hull[^1].Cost == point.Cost)
            {
                continue;
            }

            // Drop the last vertex while it lies on or below the line from the one before it to the new point (up to
            // rounding, so the points of a straight line are not kept for an error in their last bit).
            while (hull.Count >= 2 && Turn(hull[^2], hull[^1], point) >= -1e-12 * TurnScale(hull[^2], hull[^1], point))
            {
                hull.RemoveAt(hull.Count - 1);
            }

            hull.Add(point);
        }

        var highest = 0;
        for (var i = 1; i < hull.Count; i++)
        {
            if (hull[i].Quality > hull[highest].Quality)
            {
                highest = i;
            }
        }

        hull.RemoveRange(highest + 1, hull.Count - highest - 1);
        return hull;
    }

    private RouterEvaluation Summarise(string router, List<CurvePoint> curve) =>
        new(router, Apgr(curve), Cpt(curve, 0.2), Cpt(curve, 0.5), Cpt(curve, 0.8), Aiq(curve, CostMin, CostMax), curve);

    /// <summary>
    /// RouteLLM's sweep over <paramref name="keys"/> (sorted in place): for each threshold from the highest to the lowest,
    /// the number of strong calls and the mean quality and cost, so by increasing strong calls.
    /// </summary>
    private List<(int StrongCalls, double Quality, double Cost)> Sweep(double[] keys)
    {
        var n = keys.Length;
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }

        Array.Sort(keys, order);

        // Sums over the top-scored prompts: prefix[k] covers the k highest scores. Tied scores always fall on the same
        // side of a threshold, so the prompts a threshold selects are exactly the top k, whatever order ties sorted in.
        var gainTop = new double[n + 1];
        var costTop = new double[n + 1];
        for (var j = 0; j < n; j++)
        {
            var i = order[n - 1 - j];
            gainTop[j + 1] = gainTop[j] + (_strongQuality[i] - _weakQuality[i]);
            costTop[j + 1] = costTop[j] + (_strongCost[i] - _weakCost[i]);
        }

        var edges = QuantileThresholds.Edges(keys, ThresholdBins);
        var points = new List<(int, double, double)>(edges.Length);
        for (var e = edges.Length - 1; e >= 0; e--)
        {
            var strongCalls = e == edges.Length - 1
                ? QuantileThresholds.CountAbove(keys, edges[e])
                : QuantileThresholds.CountAtLeast(keys, edges[e]);
            var quality = strongCalls switch
            {
                0 => WeakMean,
                _ when strongCalls == n => StrongMean,
                _ => (_weakQualitySum + gainTop[strongCalls]) / n,
            };
            var cost = strongCalls switch
            {
                0 => CostMin,
                _ when strongCalls == n => CostMax,
                _ => (_weakCostSum + costTop[strongCalls]) / n,
            };
            points.Add((strongCalls, quality, cost));
        }

        return points;
    }

    private static CurvePoint[] SortedByShare(IReadOnlyList<CurvePoint> curve)
    {
        ArgumentNullException.ThrowIfNull(curve);
        if (curve.Count == 0)
        {
            throw new ArgumentException("The curve has no points.", nameof(curve));
        }

        return [.. curve.OrderBy(p => p.StrongShare)];
    }

    /// <summary>Positive when o → a → b turns left (a lies below the line o–b), negative when it turns right.</summary>
    private static double Turn(CurvePoint o, CurvePoint a, CurvePoint b) =>
        ((a.Cost - o.Cost) * (b.Quality - o.Quality)) - ((a.Quality - o.Quality) * (b.Cost - o.Cost));

    /// <summary>The size of the two products <see cref="Turn"/> subtracts, for a tolerance relative to them.</summary>
    private static double TurnScale(CurvePoint o, CurvePoint a, CurvePoint b) =>
        Math.Abs((a.Cost - o.Cost) * (b.Quality - o.Quality)) + Math.Abs((a.Quality - o.Quality) * (b.Cost - o.Cost));

    /// <summary>The area under the segment left–right restricted to [lo, hi].</summary>
    private static double ClippedTrapezoid(CurvePoint left, CurvePoint right, double lo, double hi)
    {
        var from = Math.Max(left.Cost, lo);
        var to = Math.Min(right.Cost, hi);
        if (!(to > from))
        {
            return 0;
        }

        var slope = (right.Quality - left.Quality) / (right.Cost - left.Cost);
        var qualityFrom = left.Quality + (slope * (from - left.Cost));
        var qualityTo = left.Quality + (slope * (to - left.Cost));
        return (to - from) * (qualityFrom + qualityTo) / 2;
    }

    private static double[] Repeat(double value, int count)
    {
        var values = new double[count];
        Array.Fill(values, value);
        return values;
    }

    private static void RequireSameLength(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, string name)
    {
        if (actual.Length != expected.Length)
        {
            throw new ArgumentException($"Expected {expected.Length} values, one per prompt, but got {actual.Length}.", name);
        }
    }

    private static double[] FiniteCopy(ReadOnlySpan<double> values, string name)
    {
        foreach (var value in values)
        {
            if (!double.IsFinite(value))
            {
                throw new ArgumentException("Every value must be a finite number.", name);
            }
        }

        return values.ToArray();
    }

    private static double Sum(double[] values)
    {
        var sum = 0.0;
        foreach (var value in values)
        {
            sum += value;
        }

        return sum;
    }
}
