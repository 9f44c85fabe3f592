using System.Text.Json;
using Switchyard.Evaluation.Metrics;

namespace Switchyard.Tests.Evaluation.Metrics;

/// <summary>RouteLLM's threshold sweep and the reference routers on small data sets worked out by hand.</summary>
public sealed class RoutingEvaluatorTests
{
    private const int Digits = 12;

    // Ten prompts, right (1) or wrong (0). Weak 0.5, strong 0.7, gap 0.2. Prompts 5, 6, 7 gain 1 from the strong model,
    // prompt 4 loses 1, the rest are the same either way.
    private static readonly double[] Weak = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0];
    private static readonly double[] Strong = [1, 1, 1, 1, 0, 1, 1, 1, 0, 0];

    private static RoutingEvaluator TenPrompts() => new(Weak, Strong);

    [Fact]
    public void Means_AndCostRange_DefaultToShareOfStrongCalls()
    {
        var evaluator = TenPrompts();
        Assert.Equal(0.5, evaluator.WeakMean, Digits);
        Assert.Equal(0.7, evaluator.StrongMean, Digits);
        Assert.Equal(0.0, evaluator.CostMin);
        Assert.Equal(1.0, evaluator.CostMax);
        Assert.Equal(1.5, evaluator.Pgr(0.8), Digits);
    }

    [Fact]
    public void Oracle_SpendsCallsOnlyWhereStrongIsBetter_AndMatchesRouteLlmOptimalAccuracy()
    {
        // RouteLLM's get_optimal_accuracy: weak + min(n·share, #(weak wrong, strong right)) / n = 0.5 + min(10·share, 3) / 10.
        var oracle = TenPrompts().Oracle();

        Assert.Equal("oracle", oracle.Router);
        Assert.Equal(11, oracle.Curve.Count);
        for (var k = 0; k <= 10; k++)
        {
            Assert.Equal(k / 10.0, oracle.Curve[k].StrongShare, Digits);
            Assert.Equal(0.5 + (Math.Min(k, 3) / 10.0), oracle.Curve[k].Quality, Digits);
            Assert.Equal(Math.Min(k, 3) / 10.0, oracle.Curve[k].Cost, Digits); // stops calling once the gains are used up
        }

        // PGR 0, 0.5, 1, then 1.5 from 30% on: 0.1·(0.25 + 0.75 + 1.25 + 7·1.5) = 1.275.
        Assert.Equal(1.275, oracle.Apgr, Digits);
        Assert.Equal(0.04, oracle.Cpt20, Digits); // 0.2 of the way to PGR 0.5 at 10%
        Assert.Equal(0.10, oracle.Cpt50, Digits);
        Assert.Equal(0.16, oracle.Cpt80, Digits); // 0.1 + 0.3·0.1/0.5
        Assert.Equal(0.755, oracle.Aiq, Digits); // 0.3·(0.5+0.8)/2 + 0.7·0.8
    }

    [Fact]
    public void Oracle_TakesFractionalCalls_ForGradedQuality()
    {
        // Gains 0.6 and 0.2 on two prompts; 4 bins give budgets of 0, 0.5, 1, 1.5 and 2 strong calls.
        var oracle = new RoutingEvaluator([0.2, 0.4], [0.8, 0.6], thresholdBins: 4).Oracle();
        Assert.Equal(new[] { 0.3, 0.45, 0.6, 0.65, 0.7 }, oracle.Curve.Select(p => Math.Round(p.Quality, 12)));
    }

    [Fact]
    public void Oracle_PrefersTheCheaperStrongCallAmongEqualGains()
    {
        var oracle = new RoutingEvaluator([0, 0], [1, 1], [0, 0], [5, 1], thresholdBins: 2).Oracle();
        Assert.Equal(0.5, oracle.Curve[1].Cost, Digits); // prompt 1's strong call (cost 1) first, averaged over 2 prompts
        Assert.Equal(3.0, oracle.Curve[2].Cost, Digits);
    }

    [Fact]
    public void Evaluate_SweepsRouteLlmQuantileThresholds()
    {
        // Scores 0.0 … 0.9 with the three gaining prompts on top and the losing one at the bottom. The 11 qcut edges
        // fall between scores (0.09, 0.18, …, 0.81) plus min (≥) and max (>), so every count 0 … 10 appears once.
        double[] scores = [0.1, 0.2, 0.3, 0.4, 0.0, 0.9, 0.8, 0.7, 0.5, 0.6];
        var result = TenPrompts().Evaluate("perfect", scores);

        Assert.Equal(Enumerable.Range(0, 11).Select(k => k / 10.0), result.Curve.Select(p => Math.Round(p.StrongShare, 12)));
        double[] quality = [0.5, 0.6, 0.7, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.7];
        Assert.Equal(quality, result.Curve.Select(p => Math.Round(p.Quality, 12)));

        // PGR 0, .5, 1, 1.5 ×7, 1: 0.1·(0.25 + 0.75 + 1.25 + 6·1.5 + 1.25) = 1.25.
        Assert.Equal(1.25, result.Apgr, Digits);
        Assert.Equal(0.04, result.Cpt20, Digits);
        Assert.Equal(0.10, result.Cpt50, Digits);
        Assert.Equal(0.16, result.Cpt80, Digits);
        Assert.Equal(0.755, result.Aiq, Digits); // the drop to 0.7 at 100% is under the flat hull
    }

    [Fact]
    public void Evaluate_ConstantScores_JumpFromNoStrongCallsToAll()
    {
        // Every edge equals the score: ≥ selects all prompts for the first ten edges, > none for the last.
        var result = TenPrompts().Evaluate("constant", Enumerable.Repeat(0.3, 10).ToArray());

        Assert.Equal(11, result.Curve.Count);
        Assert.Equal(0.0, result.Curve[0].StrongShare);
        Assert.All(result.Curve.Skip(1), p => Assert.Equal(1.0, p.StrongShare));
        Assert.Equal(0.5, result.Apgr, Digits);
        Assert.Equal(0.2, result.Cpt20, Digits);
        Assert.Equal(0.5, result.Cpt50, Digits);
        Assert.Equal(0.8, result.Cpt80, Digits);
        Assert.Equal(0.6, result.Aiq, Digits);
    }

    [Fact]
    public void Evaluate_TiedScores_AlwaysGoToTheSameModel()
    {
        // Sorted scores 0,0,1,1: edges 0,0,0,0, ≈0.2, 0.5, ≈0.8, 1,1,1 and 1 (>) → 4 calls ×4, 2 calls ×6, 0 calls ×1.
        // (pandas' qcut would refuse these duplicate edges; RouteLLM's comment says to keep them.)
        var evaluator = new RoutingEvaluator([0, 0, 1, 1], [1, 1, 1, 0]);
        var result = evaluator.Evaluate("binary", [1, 1, 0, 0]);

        Assert.Equal(new[] { 0.0, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 1, 1, 1, 1 }, result.Curve.Select(p => p.StrongShare));
        Assert.Equal(1.0, result.Curve[1].Quality, Digits); // both gaining prompts, never one of them alone
        // PGR 0 → 2 → 1 over shares 0, 0.5, 1: 0.5·1 + 0.5·1.5.
        Assert.Equal(1.25, result.Apgr, Digits);
        Assert.Equal(0.05, result.Cpt20, Digits);
        Assert.Equal(0.125, result.Cpt50, Digits);
        Assert.Equal(0.2, result.Cpt80, Digits);
        Assert.Equal(0.875, result.Aiq, Digits); // 0.5·(0.5+1)/2 + 0.5·1
    }

    [Fact]
    public void Evaluate_ReproducesPandasQuantileRounding_AtEdgesThatLandOnAScore()
    {
        // Eleven scores 0, 0.1, …, 1. pandas 2.x computes the 30% and 60% edges as 0.30000000000000004 and
        // 0.6000000000000001 (k·0.1, ×100 ÷100, linear interpolation), just above the scores 0.3 and 0.6, which
        // therefore stay with the weak model. Counts checked against pandas' Series.quantile.
        var evaluator = new RoutingEvaluator(new double[11], Enumerable.Repeat(1.0, 11).ToArray());
        var result = evaluator.Evaluate("grid", Enumerable.Range(0, 11).Select(i => i / 10.0).ToArray());

        Assert.Equal(new[] { 0, 2, 3, 4, 4, 6, 7, 7, 9, 10, 11 }, result.Curve.Select(p => (int)Math.Round(p.StrongShare * 11)));
    }

    [Fact]
    public void Evaluate_WhenStrongIsNoBetterOnAverage_PgrMetricsAreNaN_ButAiqIsDefined()
    {
        // Equal means (0.5 each): sending prompt 0 to the strong model loses, prompt 1 gains.
        var result = new RoutingEvaluator([1, 0], [0, 1]).Evaluate("any", [1, 0]);

        Assert.All(result.Curve, p => Assert.True(double.IsNaN(p.Pgr)));
        Assert.True(double.IsNaN(result.Apgr));
        Assert.True(double.IsNaN(result.Cpt20));
        Assert.True(double.IsNaN(result.Cpt50));
        Assert.True(double.IsNaN(result.Cpt80));
        Assert.Equal(0.5, result.Aiq, Digits); // (0,0.5), (0.5,0), (1,0.5): the middle point is under the hull

        Assert.True(double.IsNaN(new RoutingEvaluator([1, 1], [0, 1]).Pgr(0.5))); // strong worse
    }

    [Fact]
    public void Evaluate_WithPerPromptCosts_MeasuresAiqOnTheCostAxis()
    {
        // Both prompts gain 1; the strong model costs 3 on prompt 0 and 11 on prompt 1, the weak 1 on each.
        // Cost range: 1 (all weak) to 7 (all strong).
        var evaluator = new RoutingEvaluator([0, 0], [1, 1], [1, 1], [3, 11]);
        Assert.Equal(1.0, evaluator.CostMin, Digits);
        Assert.Equal(7.0, evaluator.CostMax, Digits);

        // Cheap prompt first: (1,0), (2,0.5), (7,1) → 0.25 + 5·0.75 = 4 over 6.
        Assert.Equal(4.0 / 6, evaluator.Evaluate("cheap-first", [1, 0]).Aiq, Digits);

        // Dear prompt first: (6,0.5) is under the chord (1,0)-(7,1) → 0.5.
        Assert.Equal(0.5, evaluator.Evaluate("dear-first", [0, 1]).Aiq, Digits);

        // Without prices both orders look alike.
        Assert.Equal(0.5, new RoutingEvaluator([0, 0], [1, 1]).Evaluate("cheap-first", [1, 0]).Aiq, Digits);
    }

    [Fact]
    public void ConstantPrices_GiveTheSameAiqAsTheShareOfStrongCalls()
    {
        double[] scores = [0.1, 0.2, 0.3, 0.4, 0.0, 0.9, 0.8, 0.7, 0.5, 0.6];
        var byShare = TenPrompts().Evaluate("r", scores);
        var byPrice = new RoutingEvaluator(Weak, Strong, weakCost: 0.2, strongCost: 3).Evaluate("r", scores);

        Assert.Equal(0.2, byPrice.Curve[0].Cost, Digits);
        Assert.Equal(3.0, byPrice.Curve[^1].Cost, Digits);
        Assert.Equal(byShare.Aiq, byPrice.Aiq, Digits);
        Assert.Equal(byShare.Apgr, byPrice.Apgr, Digits);
    }

    [Fact]
    public void AlwaysWeak_AndAlwaysStrong_AreSinglePoints()
    {
        var evaluator = TenPrompts();

        var weak = evaluator.AlwaysWeak();
        Assert.Equal(new CurvePoint(0, 0, 0.5, 0), Assert.Single(weak.Curve));
        Assert.Equal(0.0, weak.Apgr);
        Assert.Equal((1.0, 1.0, 1.0), (weak.Cpt20, weak.Cpt50, weak.Cpt80)); // never reaches the targets
        Assert.Equal(0.5, weak.Aiq, Digits); // flat from cost 0

        var strong = evaluator.AlwaysStrong();
        Assert.Equal(1.0, Assert.Single(strong.Curve).StrongShare);
        Assert.Equal(1.0, strong.Apgr, Digits);
        Assert.Equal(1.0, strong.Cpt50);
        Assert.Equal(0.0, strong.Aiq); // nothing below its only point, at the top of the cost range
    }

    [Fact]
    public void Random_OnPromptsThatAllGainAlike_RecoversExactlyTheShareOfStrongCalls()
    {
        // Whatever prompts are drawn, quality = share, so every averaged point has PGR = share: APGR 1/2, CPT(x) = x.
        var evaluator = new RoutingEvaluator(new double[100], Enumerable.Repeat(1.0, 100).ToArray());
        var random = evaluator.Random(new Random(7));

        Assert.Equal("random", random.Router);
        Assert.Equal(11, random.Curve.Count);
        Assert.Equal(0.0, random.Curve[0].StrongShare);
        Assert.Equal(1.0, random.Curve[^1].StrongShare);
        Assert.All(random.Curve, p => Assert.Equal(p.StrongShare, p.Pgr, Digits));
        Assert.Equal(0.5, random.Apgr, Digits);
        Assert.Equal(0.2, random.Cpt20, Digits);
        Assert.Equal(0.5, random.Cpt50, Digits);
        Assert.Equal(0.8, random.Cpt80, Digits);
    }

    [Fact]
    public void Random_AveragesRunsToTheDiagonal_AndIsReproducibleFromItsSeed()
    {
        var rng = new Random(11);
        var weak = Enumerable.Range(0, 2000).Select(_ => rng.NextDouble() < 0.5 ? 1.0 : 0.0).ToArray();
        var strong = Enumerable.Range(0, 2000).Select(_ => rng.NextDouble() < 0.8 ? 1.0 : 0.0).ToArray();
        var evaluator = new RoutingEvaluator(weak, strong);

        var first = evaluator.Random(new Random(3));
        var again = evaluator.Random(new Random(3));
        Assert.Equal(first.Apgr, again.Apgr);
        Assert.Equal(first.Curve, again.Curve);

        // Not the oracle's curve, not a sorted-by-gain curve: close to PGR = share.
        Assert.InRange(first.Apgr, 0.45, 0.55);
        Assert.InRange(first.Cpt50, 0.4, 0.6);
        Assert.True(evaluator.Oracle().Apgr > 1.0);
    }

    [Fact]
    public void Evaluate_HandlesFourteenThousandPrompts()
    {
        var rng = new Random(5);
        const int n = 14_000;
        var weak = new double[n];
        var strong = new double[n];
        var scores = new double[n];
        for (var i = 0; i < n; i++)
        {
            weak[i] = rng.NextDouble();
            strong[i] = Math.Min(1, weak[i] + (rng.NextDouble() * 0.4));
            scores[i] = strong[i] - weak[i] + (rng.NextDouble() * 0.1);
        }

        var result = new RoutingEvaluator(weak, strong).Evaluate("noisy-gain", scores);

        Assert.Equal(11, result.Curve.Count);
        Assert.InRange(result.Apgr, 0.55, 1.0); // a score that tracks the gain beats random
        Assert.True(result.Cpt50 < 0.5);
    }

    [Fact]
    public void Serialises_WithSnakeCaseNames_AndNaNAsAString()
    {
        var json = JsonSerializer.Serialize(new RoutingEvaluator([1, 0], [0, 1]).AlwaysWeak());

        Assert.Contains("\"router\":\"always-weak\"", json, StringComparison.Ordinal);
        Assert.Contains("\"apgr\":\"NaN\"", json, StringComparison.Ordinal);
        Assert.Contains("\"cpt50\":\"NaN\"", json, StringComparison.Ordinal);
        Assert.Contains("\"aiq\":0.5", json, StringComparison.Ordinal);
        Assert.Contains("\"curve\":[{\"strong_share\":0,\"cost\":0,\"quality\":0.5,\"pgr\":\"NaN\"}]", json, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidInput_Throws()
    {
        Assert.Throws<ArgumentException>(() => new RoutingEvaluator([1, 0], [1]));
        Assert.Throws<ArgumentException>(() => new RoutingEvaluator([], []));
        Assert.Throws<ArgumentException>(() => new RoutingEvaluator([1, double.NaN], [1, 1]));
        Assert.Throws<ArgumentException>(() => new RoutingEvaluator([1, 0], [1, 1], [0, 0], [1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RoutingEvaluator([1], [1], thresholdBins: 0));
        Assert.Throws<ArgumentException>(() => TenPrompts().Evaluate("short", [0.5]));
        Assert.Throws<ArgumentException>(() => TenPrompts().Evaluate("nan", Enumerable.Repeat(double.NaN, 10).ToArray()));
        Assert.Throws<ArgumentOutOfRangeException>(() => TenPrompts().Random(new Random(1), 0));
    }
}
