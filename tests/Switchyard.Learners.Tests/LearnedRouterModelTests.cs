using Microsoft.Extensions.AI;
using Switchyard.Configuration;
using Switchyard.Evaluation;
using Switchyard.Routing.Difficulty;
using Switchyard.Routing.Learners;

namespace Switchyard.Learners.Tests;

[Collection(SharedEmbedder.Name)]
public sealed class LearnedRouterModelTests(EmbedderFixture fixture) : IDisposable
{
    private static readonly string[] Models = ["small", "medium", "large"];
    private readonly string _dir = Directory.CreateTempSubdirectory("learned-router-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Cooking questions: all three are right; tax-law questions: medium and large; number theory: large only (4% noise).</summary>
    private static List<OutcomeRecord> Records(int count, bool withCosts = false)
    {
        string[][] topics =
        [
            ["How long should I boil an egg for a runny yolk", "What herbs go well with roast potatoes", "How do I keep pasta from sticking"],
            ["How is capital gains tax computed on inherited shares", "Can a sole trader deduct home office rent", "When is VAT due on digital services sold abroad"],
            ["Prove that the sum of two odd primes is even and classify the exceptions", "Show that x^4 + 1 is irreducible over the rationals", "Determine all integer solutions of x^2 - 7y^2 = 1 below 1000"],
        ];
        var random = new Random(5);
        var rows = new List<OutcomeRecord>();
        for (var i = 0; i < count; i++)
        {
            var tier = i % 3;
            var prompt = $"{topics[tier][(i / 3) % 3]} (question {i}, {new string('.', random.Next(0, 40))})";
            double Score(bool good) => random.NextDouble() < 0.04 ? (good ? 0 : 1) : (good ? 1 : 0);
            ModelOutcome Outcome(bool good, decimal cost) => new(Score(good)) { Cost = withCosts ? cost : null };
            rows.Add(new OutcomeRecord($"q{i}", [new ChatMessage(ChatRole.User, prompt)], new Dictionary<string, ModelOutcome>
            {
                ["small"] = Outcome(tier == 0, 0.0001m),
                ["medium"] = Outcome(tier <= 1, 0.001m),
                ["large"] = Outcome(true, 0.01m),
            }));
        }

        return rows;
    }

    private LearnedRouterModel Train(bool withCosts = false) =>
        LearnedRouterTrainer.Train(Records(120, withCosts), Models, fixture.Embedder, new LearnedRouterEmbedder("all-MiniLM-L6-v2", 384, 256), new LearnerSelectionSettings(Folds: 3));

    [Fact]
    public void Train_ChoosesAnEmbeddingLearnerPerPair_AndKeepsTheWholeTable()
    {
        var router = Train();

        Assert.Equal(Models, router.Models);
        Assert.Equal(2, router.Pairs.Count);
        foreach (var pair in router.Pairs)
        {
            Assert.Equal("large", pair.Strong);
            Assert.Equal(["length", "knn", "cluster", "logistic"], pair.Selection.Table.Select(r => r.Learner));
            Assert.False(pair.Selection.FellBackToBaseline, pair.Selection.Reason);
            Assert.True(pair.Selection.ChosenRow.Apgr > pair.Selection.Table[0].Apgr);
            Assert.True(pair.Learner.EmbeddingDimensions == 384, pair.Selection.Chosen);
        }

        Assert.True(router.NeedsEmbeddings);
        Assert.Equal(120, router.Calibration.InputTokens.Count);
        Assert.Null(router.Calibration.Costs);
    }

    [Fact]
    public void SaveLoad_RoundTrip_SamePredictionsThresholdsAndTables()
    {
        var router = Train(withCosts: true);
        var path = Path.Combine(_dir, "router.json");
        router.Save(path);

        Assert.True(LearnedRouterModel.IsLearnedRouterFile(path));
        var loaded = LearnedRouterModel.Load(path);

        Assert.Equal(router.Models, loaded.Models);
        Assert.Equal(router.Embedder, loaded.Embedder);
        Assert.Equal(router.Selection, loaded.Selection);
        Assert.Equal(router.FormatTables(), loaded.FormatTables());
        Assert.NotNull(loaded.Calibration.Costs);
        var encoder = new PromptEncoder(fixture.Embedder);
        var target = RouteTarget.From(null, 0.9, null);
        var prices = new ModelPrice?[] { null, null, null };
        var original = router.CreateStrategy(Models, ["a", "b", "c"], prices, encoder, target);
        var reloaded = loaded.CreateStrategy(Models, ["a", "b", "c"], prices, encoder, target);
        Assert.Equal(original.Thresholds.Select(t => t.Value), reloaded.Thresholds.Select(t => t.Value));
        foreach (var (pair, again) in router.Pairs.Zip(loaded.Pairs))
        {
            var x = encoder.Encode([new ChatMessage(ChatRole.User, "Show that 2^n > n^2 for every n above 4")]);
            Assert.Equal(pair.Learner.Predict(x), again.Learner.Predict(x));
        }
    }

    [Fact]
    public void CreateStrategy_RoutesEachTierToTheCheapestGoodModel()
    {
        var router = Train();
        var strategy = router.CreateStrategy(Models, ["small", "medium", "large"], [null, null, null], new PromptEncoder(fixture.Embedder), RouteTarget.From(null, 0.9, null));
        string Pick(string prompt)
        {
            var decision = new Switchyard.Routing.RouteDecisionBuilder("smart", null, Models);
            var candidates = Models.Select(m => new Switchyard.Routing.RouteCandidate(m, "p", "self", new NoClient(), new Switchyard.Routing.CircuitBreaker(5, TimeSpan.FromSeconds(1), TimeProvider.System), new ModelPrice(), new Switchyard.Routing.RetrySettings(0, TimeSpan.Zero, TimeSpan.Zero))).ToList();
            return strategy.Order([new ChatMessage(ChatRole.User, prompt)], candidates, decision)[0].Name;
        }

        Assert.Equal("small", Pick("How long should I boil an egg for a runny yolk?"));
        Assert.Equal("medium", Pick("Can a sole trader deduct home office rent?"));
        Assert.Equal("large", Pick("Show that x^4 + 1 is irreducible over the rationals"));
    }

    [Fact]
    public void CalibrationFor_PricesPromptsWhenNoCostsWereRecorded()
    {
        var router = Train();
        var cheap = new ModelPrice { Input = 0.1m, Output = 0.4m };
        var dear = new ModelPrice { Input = 5m, Output = 15m };
        var set = router.CalibrationFor(["small", "large"], [cheap, dear]);

        Assert.Equal(2, set.Models);
        Assert.Single(set.PGood);
        var i = 0;
        var expected = ((router.Calibration.InputTokens[i] * 5.0) + (LearnedRouterModel.DefaultOutputTokens * 15.0)) / 1_000_000;
        Assert.Equal(expected, set.Costs[1][i], 12);
        Assert.True(set.Costs[0][i] < set.Costs[1][i]);
    }

    [Theory]
    [InlineData("medium,small,large", "cheapest first")]
    [InlineData("small,medium", "strongest model 'large'")]
    [InlineData("small,huge", "no model 'huge'")]
    public void CreateStrategy_CandidatesThatDoNotFit_SayWhy(string models, string expected)
    {
        var router = Train();
        var list = models.Split(',');
        var ex = Assert.Throws<ArgumentException>(() => router.CreateStrategy(list, list, [.. list.Select(_ => (ModelPrice?)null)], new PromptEncoder(fixture.Embedder), RouteTarget.From(0.3, null, null)));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json", "not a valid learned router")]
    [InlineData("{\"format\":\"switchyard.difficulty-router/1\"}", "expected 'switchyard.difficulty-router/2'")]
    [InlineData("{\"format\":\"switchyard.difficulty-router/2\",\"models\":[\"a\"]}", "at least two model names")]
    [InlineData("{\"format\":\"switchyard.difficulty-router/2\",\"models\":[\"a\",\"b\"],\"pairs\":[],\"folds\":5}", "one entry per cheaper model")]
    public void Load_BadFiles_ThrowFormatExceptionNamingTheFile(string content, string expected)
    {
        var path = Path.Combine(_dir, "bad.json");
        File.WriteAllText(path, content);

        var ex = Assert.Throws<FormatException>(() => LearnedRouterModel.Load(path));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TruncatedCalibration_IsRefused()
    {
        var path = Path.Combine(_dir, "router.json");
        Train().Save(path);
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!;
        var scores = json["calibration"]!["scores"]!.AsArray();
        scores[0]!.AsArray().RemoveAt(0);
        File.WriteAllText(path, json.ToJsonString());

        var ex = Assert.Throws<FormatException>(() => LearnedRouterModel.Load(path));
        Assert.Contains("calibration", ex.Message, StringComparison.Ordinal);
    }

    private sealed class NoClient : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
