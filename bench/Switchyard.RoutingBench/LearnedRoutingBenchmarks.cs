using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using Switchyard.Routing;
using Switchyard.Routing.Difficulty;

namespace Switchyard.RoutingBench;

/// <summary>
/// The learned router's per-request ordering step for a two-candidate route, as <c>SwitchyardRouter</c> runs it (a
/// new <see cref="RouteDecisionBuilder"/>, then <see cref="DifficultyStrategy.Order"/>), with the strategy built as
/// <c>serve</c> builds it (<see cref="LearnedRoutingFixture"/>), on one user message of 60 or 256 tokens, with the
/// embedder reading 256 or 128 tokens. <see cref="FreshEmbedding"/>: every call embeds (a one-entry cache, two
/// prompts of the same length alternating); <see cref="CacheHit"/>: the prompt is in the full 10,000-entry cache;
/// <see cref="NgramOrder"/>: the hashed n-gram difficulty router (<see cref="RoutingFixture"/>) on the same prompt.
/// </summary>
[MemoryDiagnoser]
public class LearnedRoutingBenchmarks
{
    private IReadOnlyList<RouteCandidate> _candidates = null!;
    private IReadOnlyList<ChatMessage> _a = null!;
    private IReadOnlyList<ChatMessage> _b = null!;
    private DifficultyStrategy _served = null!;
    private DifficultyStrategy _missing = null!;
    private DifficultyStrategy _ngram = null!;
    private bool _flip;

    [Params(256, 128)]
    public int MaxTokens { get; set; } = 256;

    [ParamsSource(nameof(Prompts))]
    public BenchInput Prompt { get; set; } = null!;

    public static IEnumerable<BenchInput> Prompts => LearnedRoutingFixture.PromptNames.Select((name, i) => new BenchInput(i, name));

    /// <summary>The last decision, kept so the builder is not optimised away.</summary>
    public RouteDecisionBuilder? LastDecision { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        var ngram = RoutingFixture.Instance;
        var fixture = LearnedRoutingFixture.For(MaxTokens);
        var (a, b) = LearnedRoutingFixture.Prompts[Prompt.Name];
        _candidates = ngram.Candidates;
        _a = LearnedRoutingFixture.User(a);
        _b = LearnedRoutingFixture.User(b);
        _served = fixture.Strategy;
        _missing = fixture.MissStrategy;
        _ngram = ngram.Strategy;

        // Put the prompt in the serve-like cache, so CacheHit measures hits only.
        _served.Order(_a, _candidates, NewDecision());
    }

    [Benchmark(Baseline = true)]
    public IReadOnlyList<RouteCandidate> NgramOrder()
    {
        var decision = NewDecision();
        LastDecision = decision;
        return _ngram.Order(_a, _candidates, decision);
    }

    [Benchmark]
    public IReadOnlyList<RouteCandidate> FreshEmbedding()
    {
        _flip = !_flip;
        var decision = NewDecision();
        LastDecision = decision;
        return _missing.Order(_flip ? _a : _b, _candidates, decision);
    }

    [Benchmark]
    public IReadOnlyList<RouteCandidate> CacheHit()
    {
        var decision = NewDecision();
        LastDecision = decision;
        return _served.Order(_a, _candidates, decision);
    }

    private RouteDecisionBuilder NewDecision() =>
        new(RoutingFixture.RouteName, RoutingFixture.RouteName, [.. _candidates.Select(c => c.Name)]);
}
