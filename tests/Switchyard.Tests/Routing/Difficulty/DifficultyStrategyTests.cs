using Microsoft.Extensions.AI;
using Switchyard.Configuration;
using Switchyard.Routing;
using Switchyard.Routing.Difficulty;

namespace Switchyard.Tests.Routing.Difficulty;

public sealed class DifficultyStrategyTests
{
    private sealed class FixedScorer(double p) : IDifficultyScorer
    {
        public string Weak => "w";

        public string Strong => "s";

        public double PredictGoodEnough(IReadOnlyList<ChatMessage> messages) => p;
    }

    private static RouteCandidate Candidate(string name) =>
        new(name, "p", "self", new TestChatClient(), new CircuitBreaker(5, TimeSpan.FromSeconds(1), TimeProvider.System), new ModelPrice(), new RetrySettings(0, TimeSpan.Zero, TimeSpan.Zero));

    private sealed class TestChatClient : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    private static readonly RouteCandidate Small = Candidate("small");
    private static readonly RouteCandidate Medium = Candidate("medium");
    private static readonly RouteCandidate Large = Candidate("large");

    private static DifficultyStrategy Strategy(double pSmall, double pMedium) => new(new Dictionary<string, (IDifficultyScorer, CalibratedThreshold)>
    {
        ["small"] = (new FixedScorer(pSmall), new CalibratedThreshold(0.6, 0.3, 0.9, "pgr 0.9")),
        ["medium"] = (new FixedScorer(pMedium), new CalibratedThreshold(0.5, 0.2, 0.9, "pgr 0.9")),
    });

    [Theory]
    [InlineData(0.7, 0.1, "small,medium,large", "small")]
    [InlineData(0.3, 0.55, "medium,large,small", "medium")]
    [InlineData(0.3, 0.2, "large,small,medium", "large")]
    public void PicksCheapestThatClearsItsThreshold_KeepsOthersAsFailover(double pSmall, double pMedium, string order, string chosen)
    {
        var decision = new RouteDecisionBuilder("smart", "smart", ["small", "medium", "large"]);
        var ordered = Strategy(pSmall, pMedium).Order([new ChatMessage(ChatRole.User, "q")], [Small, Medium, Large], decision);

        Assert.Equal(order, string.Join(',', ordered.Select(c => c.Name)));
        Assert.Equal(chosen, decision.StrategyChoice!.Value.Model);
        Assert.StartsWith("difficulty: small p_good ", decision.StrategyChoice!.Value.Why, StringComparison.Ordinal);
        Assert.Equal("difficulty", decision.StrategyKind);
        Assert.Equal(chosen == "small" ? 1 : 2, decision.StrategySteps.Count);
        Assert.Equal(0.6, decision.StrategySteps[0].Threshold);
        Assert.Equal(chosen != "small", decision.StrategySteps[0].Escalated);
    }

    [Fact]
    public void CandidateRemovedByPolicy_IsNotScored()
    {
        var decision = new RouteDecisionBuilder("smart", "smart", ["small", "medium", "large"]);
        var ordered = Strategy(0.9, 0.9).Order([new ChatMessage(ChatRole.User, "q")], [Medium, Large], decision);

        Assert.Equal("medium,large", string.Join(',', ordered.Select(c => c.Name)));
        Assert.Equal("medium", Assert.Single(decision.StrategySteps).Model);
    }

    [Fact]
    public void Create_FromRouter_CalibratesToTarget_AndNamesMissingPairs()
    {
        var router = DifficultyTrainer.TrainRouter(SyntheticOutcomes.Create(200), ["local", "backup"], new FeaturizerSettings(HashBits: 12));
        var strategy = DifficultyStrategy.Create(router, ["local", "backup"], strongShare: 0.4, qualityTarget: null);
        var threshold = Assert.Single(strategy.Thresholds);
        Assert.Equal("local", threshold.Key);
        // Tied predictions move together, so the share actually escalated is near, not exactly, the target.
        Assert.InRange(threshold.Value.StrongShare, 0.33, 0.47);

        // Two candidates and a one-pair router: the pair serves whatever the cheaper candidate is called.
        Assert.Single(DifficultyStrategy.Create(router, ["tiny", "huge"], null, 0.8).Thresholds);
        var ex = Assert.Throws<ArgumentException>(() => DifficultyStrategy.Create(router, ["a", "b", "c"], 0.5, null));
        Assert.Contains("no model for candidate 'a'", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => DifficultyStrategy.Create(router, ["local", "backup"], 0.5, 0.5));
    }
}
