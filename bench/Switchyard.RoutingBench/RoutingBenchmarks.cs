using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using Switchyard.Routing;
using Switchyard.Routing.Difficulty;

namespace Switchyard.RoutingBench;

/// <summary>
/// The trained scorer alone: <see cref="IDifficultyScorer.PredictGoodEnough"/> (featurize + dot product + sigmoid)
/// on one user message of 100 B to 32 KiB and on a six-message conversation with a system prompt.
/// </summary>
[MemoryDiagnoser]
public class ScorerBenchmarks
{
    private IDifficultyScorer _scorer = null!;
    private IReadOnlyList<ChatMessage> _messages = null!;

    [ParamsSource(nameof(Inputs))]
    public BenchInput Input { get; set; } = null!;

    public static IEnumerable<BenchInput> Inputs => RoutingFixture.InputNames.Select((name, i) => new BenchInput(i, name));

    [GlobalSetup]
    public void Setup()
    {
        var fixture = RoutingFixture.Instance;
        _scorer = fixture.Scorer;
        _messages = fixture.Inputs[Input.Name];
    }

    [Benchmark]
    public double PredictGoodEnough() => _scorer.PredictGoodEnough(_messages);
}

/// <summary>
/// The router's per-request ordering step for a two-candidate route, as <c>SwitchyardRouter</c> runs it: a new
/// <see cref="RouteDecisionBuilder"/> (candidate names copied) and the candidate order. <see cref="ConfiguredOrder"/>
/// is a route without a strategy (configured order); <see cref="DifficultyOrder"/> adds
/// <see cref="DifficultyStrategy.Order"/>: scoring, the threshold, the step and explanation written into the builder,
/// and the reordered list when it escalates. Their difference is what difficulty routing adds per request.
/// <see cref="DifficultyOrderPrecomputed"/> is the same strategy with a scorer that returns the trained scorer's
/// answer for this input, precomputed: the strategy's own bookkeeping without the featurizer (same branch taken).
/// </summary>
[MemoryDiagnoser]
public class StrategyBenchmarks
{
    private IReadOnlyList<RouteCandidate> _candidates = null!;
    private IReadOnlyList<ChatMessage> _messages = null!;
    private DifficultyStrategy _strategy = null!;
    private DifficultyStrategy _precomputed = null!;

    [Params("1KiB", "conv6")]
    public string Input { get; set; } = "1KiB";

    /// <summary>The last decision, kept so the builder is not optimised away.</summary>
    public RouteDecisionBuilder? LastDecision { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        var fixture = RoutingFixture.Instance;
        _candidates = fixture.Candidates;
        _messages = fixture.Inputs[Input];
        _strategy = fixture.Strategy;
        _precomputed = new DifficultyStrategy(new Dictionary<string, (IDifficultyScorer, CalibratedThreshold)>
        {
            [RoutingFixture.WeakCandidate] = (new PrecomputedScorer(fixture.Scorer, fixture.Scorer.PredictGoodEnough(_messages)), fixture.Threshold),
        });
    }

    [Benchmark(Baseline = true)]
    public IReadOnlyList<RouteCandidate> ConfiguredOrder()
    {
        var decision = new RouteDecisionBuilder(RoutingFixture.RouteName, RoutingFixture.RouteName, [.. _candidates.Select(c => c.Name)]);
        LastDecision = decision;
        return _candidates;
    }

    [Benchmark]
    public IReadOnlyList<RouteCandidate> DifficultyOrder()
    {
        var decision = new RouteDecisionBuilder(RoutingFixture.RouteName, RoutingFixture.RouteName, [.. _candidates.Select(c => c.Name)]);
        LastDecision = decision;
        return _strategy.Order(_messages, _candidates, decision);
    }

    [Benchmark]
    public IReadOnlyList<RouteCandidate> DifficultyOrderPrecomputed()
    {
        var decision = new RouteDecisionBuilder(RoutingFixture.RouteName, RoutingFixture.RouteName, [.. _candidates.Select(c => c.Name)]);
        LastDecision = decision;
        return _precomputed.Order(_messages, _candidates, decision);
    }

    /// <summary>Answers every conversation with one precomputed P(good enough).</summary>
    private sealed class PrecomputedScorer(IDifficultyScorer trained, double pGood) : IDifficultyScorer
    {
        public string Weak => trained.Weak;

        public string Strong => trained.Strong;

        public double PredictGoodEnough(IReadOnlyList<ChatMessage> messages) => pGood;
    }
}

/// <summary>A benchmark input by name, ordered as declared (BenchmarkDotNet would sort plain strings: 32KiB before 4KiB).</summary>
public sealed record BenchInput(int Rank, string Name) : IComparable
{
    public static bool operator <(BenchInput left, BenchInput right) => Compare(left, right) < 0;

    public static bool operator <=(BenchInput left, BenchInput right) => Compare(left, right) <= 0;

    public static bool operator >(BenchInput left, BenchInput right) => Compare(left, right) > 0;

    public static bool operator >=(BenchInput left, BenchInput right) => Compare(left, right) >= 0;

    public int CompareTo(object? obj) => obj is BenchInput other ? Rank.CompareTo(other.Rank) : 1;

    public override string ToString() => Name;

    private static int Compare(BenchInput? left, BenchInput? right) =>
        left is null ? (right is null ? 0 : -1) : left.CompareTo(right);
}
