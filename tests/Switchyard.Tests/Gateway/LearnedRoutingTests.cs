using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenAI.Chat;
using Switchyard.Configuration;
using Switchyard.Embeddings;
using Switchyard.Evaluation;
using Switchyard.Routing.Learners;
using Switchyard.Testing;
using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Gateway;

/// <summary>
/// A three-candidate difficulty route with a learned router (real all-MiniLM-L6-v2 embeddings, cross-validated
/// learners) through the real gateway and the official OpenAI SDK: easy prompts stay on the cheapest model, medium
/// ones go to the middle one, hard ones to the strongest.
/// </summary>
public sealed class LearnedRoutingTests(LearnedRoutingTests.RouterFixture fixture) : IAsyncLifetime, IClassFixture<LearnedRoutingTests.RouterFixture>
{
    private static readonly string[] Easy = ["Say hello to my friend {0}", "What colour is a ripe {0}?", "Greet our new colleague {0} warmly", "Write a one-line thank-you note to {0}"];
    private static readonly string[] Medium = ["Summarise the plot of the novel {0} in three sentences", "Write a short product description for a {0}", "Explain to a child how a {0} works", "List the pros and cons of buying a {0}"];
    private static readonly string[] Hard = ["Prove that there are infinitely many primes of the form {0}n+1", "Compute the eigenvalues of the {0}x{0} tridiagonal matrix with 2 on the diagonal", "Find a closed form for the sum of k^{0} for k from 1 to n and prove it by induction", "Evaluate the contour integral of 1/(z^{0}+1) around the unit circle"];
    private static readonly string[] Fillers = ["Alex", "banana", "Maria", "toaster", "bicycle", "Kenji", "lemon", "7", "5", "3", "Dune", "Emma", "kettle", "plum", "Omar", "drone"];

    private static readonly string[] Neutral = ["please", "thanks", "today", "if", "possible", "for", "the", "team", "note", "asap", "kindly", "again"];

    private FakeUpstream _upstream = null!;

    public async Task InitializeAsync() => _upstream = await FakeUpstream.StartAsync();

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    /// <summary>Outcomes where the cheapest model (local) is good on easy prompts only, the middle (backup) on easy and medium, the strongest (claude) on all; 5% label noise.</summary>
    internal static List<OutcomeRecord> ThreeTierOutcomes(int count, int seed = 3)
    {
        var random = new Random(seed);
        var rows = new List<OutcomeRecord>(count);
        for (var i = 0; i < count; i++)
        {
            var tier = i % 3;
            var templates = tier == 0 ? Easy : tier == 1 ? Medium : Hard;
            // A neutral tail of random length, so that the prompt's length says nothing about its tier.
            var tail = string.Join(' ', Enumerable.Range(0, random.Next(0, 25)).Select(_ => Neutral[random.Next(Neutral.Length)]));
            var prompt = string.Format(System.Globalization.CultureInfo.InvariantCulture, templates[(i / 3) % templates.Length], Fillers[(i * 7) % Fillers.Length]) + $". Ticket {i}. {tail}";
            double Noisy(bool good) => random.NextDouble() < 0.05 ? (good ? 0 : 1) : (good ? 1 : 0);
            rows.Add(new OutcomeRecord($"row/{i}", [new Microsoft.Extensions.AI.ChatMessage(ChatRole.User, prompt)], new Dictionary<string, ModelOutcome>
            {
                ["local"] = new(Noisy(tier == 0)),
                ["backup"] = new(Noisy(tier <= 1)),
                ["claude"] = new(1.0),
            }));
        }

        return rows;
    }

    private string TrainRouterFile() => fixture.Path;

    private static async Task<string> AskAsync(TestGateway gateway, string prompt)
    {
        var result = await gateway.OpenAIClient("smart").CompleteChatAsync([new UserChatMessage(prompt)]);
        return result.Value.Model;
    }

    [Fact]
    public async Task ThreeCandidates_EasyMediumHard_EachGoesToTheCheapestGoodEnoughModel()
    {
        var router = TrainRouterFile();
        await using var gateway = await TestGateway.StartAsync(_upstream, o => o.Routes["smart"] = new RouteConfig
        {
            Candidates = ["local", "backup", "claude"],
            Strategy = new RouteStrategyConfig { Kind = "difficulty", Router = router, QualityTarget = 0.9 },
        });

        Assert.Equal("local", await AskAsync(gateway, "Say hello to my friend Priya"));
        Assert.Equal("backup", await AskAsync(gateway, "Summarise the plot of the novel Middlemarch in three sentences"));
        Assert.Equal("claude", await AskAsync(gateway, "Prove that there are infinitely many primes of the form 4n+1"));

        var records = await gateway.StopAndReadLedgerAsync();
        using var hard = JsonDocument.Parse(records.Single(r => r.ServedModel == "claude").DecisionJson);
        var steps = hard.RootElement.GetProperty("strategy").GetProperty("steps");

        // Both cheaper candidates were scored against the one shared threshold, and both escalated.
        Assert.Equal(2, steps.GetArrayLength());
        Assert.Equal(["local", "backup"], steps.EnumerateArray().Select(s => s.GetProperty("model").GetString()));
        Assert.All(steps.EnumerateArray(), s => Assert.True(s.GetProperty("escalated").GetBoolean()));
        Assert.Equal(steps[0].GetProperty("threshold").GetDouble(), steps[1].GetProperty("threshold").GetDouble());
        Assert.StartsWith("pgr 0.9, learner ", steps[0].GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CostBudget_ZeroBudget_SendsEverythingToTheCheapest()
    {
        var router = TrainRouterFile();
        await using var gateway = await TestGateway.StartAsync(_upstream, o => o.Routes["smart"] = new RouteConfig
        {
            Candidates = ["local", "backup", "claude"],
            Strategy = new RouteStrategyConfig { Kind = "difficulty", Router = router, CostBudget = 0 },
        });

        Assert.Equal("local", await AskAsync(gateway, "Prove that there are infinitely many primes of the form 4n+1"));
    }

    [Fact]
    public async Task CandidatesOutOfTheRoutersOrder_ConfigErrorSaysSo()
    {
        var router = TrainRouterFile();
        var ex = await Assert.ThrowsAsync<SwitchyardConfigurationException>(() => TestGateway.StartAsync(_upstream, o => o.Routes["smart"] = new RouteConfig
        {
            Candidates = ["backup", "local", "claude"],
            Strategy = new RouteStrategyConfig { Kind = "difficulty", Router = router, StrongShare = 0.3 },
        }));
        Assert.Contains("Switchyard:Routes:smart:Strategy:Router", ex.Message, StringComparison.Ordinal);
        Assert.Contains("cheapest first", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>Trains the router once for the class (real embeddings, 3-fold selection) and deletes it afterwards.</summary>
    public sealed class RouterFixture : IDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("learned-").FullName;

        public RouterFixture()
        {
            Path = System.IO.Path.Combine(_dir, "router.json");
            using var embedder = new MiniLmEmbedder();
            var router = LearnedRouterTrainer.Train(ThreeTierOutcomes(150), ["local", "backup", "claude"], embedder, new LearnedRouterEmbedder("all-MiniLM-L6-v2", embedder.Dimensions, embedder.MaxTokens), new LearnerSelectionSettings(Folds: 3));
            router.Save(Path);
        }

        public string Path { get; }

        public void Dispose() => Directory.Delete(_dir, recursive: true);
    }
}
