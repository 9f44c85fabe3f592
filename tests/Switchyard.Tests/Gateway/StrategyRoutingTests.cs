using System.Text.Json;
using OpenAI.Chat;
using Switchyard.Configuration;
using Switchyard.Routing.Difficulty;
using Switchyard.Testing;
using Switchyard.Tests.Infrastructure;
using Switchyard.Tests.Routing.Difficulty;

namespace Switchyard.Tests.Gateway;

/// <summary>Difficulty and cascade routes through the real gateway, with the official OpenAI SDK.</summary>
public sealed class StrategyRoutingTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("strategy-").FullName;
    private FakeUpstream _upstream = null!;

    public async Task InitializeAsync() => _upstream = await FakeUpstream.StartAsync();

    public async Task DisposeAsync()
    {
        await _upstream.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private string TrainRouterFile()
    {
        var path = Path.Combine(_dir, "router.json");
        DifficultyTrainer.TrainRouter(SyntheticOutcomes.Create(300), [SyntheticOutcomes.Weak, SyntheticOutcomes.Strong], new FeaturizerSettings(HashBits: 14), new TrainingSettings(Epochs: 5, LearningRate: 0.1)).Save(path);
        return path;
    }

    private static async Task<(string Model, string Route)> AskAsync(TestGateway gateway, string route, string prompt)
    {
        var result = await gateway.OpenAIClient(route).CompleteChatAsync([new UserChatMessage(prompt)]);
        Assert.True(result.GetRawResponse().Headers.TryGetValue("x-switchyard-route", out var header));
        return (result.Value.Model, header!);
    }

    [Fact]
    public async Task Difficulty_EasyStaysLocal_HardEscalates_DecisionRecordsScoreAndThreshold()
    {
        var router = TrainRouterFile();
        await using var gateway = await TestGateway.StartAsync(_upstream, o => o.Routes["smart"] = new RouteConfig
        {
            Candidates = ["local", "backup"],
            Strategy = new RouteStrategyConfig { Kind = "difficulty", Router = router, QualityTarget = 0.9 },
        });

        var (easyModel, easyRoute) = await AskAsync(gateway, "smart", SyntheticOutcomes.EasyPrompt(1001));
        var (hardModel, hardRoute) = await AskAsync(gateway, "smart", SyntheticOutcomes.HardPrompt(1002));

        Assert.Equal("local", easyModel);
        Assert.Contains("reason=difficulty: local p_good ", easyRoute, StringComparison.Ordinal);
        Assert.Contains(" >= ", easyRoute, StringComparison.Ordinal);
        Assert.Equal("backup", hardModel);
        Assert.Contains(" < ", hardRoute, StringComparison.Ordinal);

        var records = await gateway.StopAndReadLedgerAsync();
        Assert.Equal(2, records.Count);
        using var hard = JsonDocument.Parse(records.Single(r => r.ServedModel == "backup").DecisionJson);
        var strategy = hard.RootElement.GetProperty("strategy");
        Assert.Equal("difficulty", strategy.GetProperty("kind").GetString());
        var step = strategy.GetProperty("steps")[0];
        Assert.Equal("local", step.GetProperty("model").GetString());
        Assert.True(step.GetProperty("escalated").GetBoolean());
        Assert.True(step.GetProperty("score").GetDouble() < step.GetProperty("threshold").GetDouble());
        Assert.Equal("pgr 0.9", step.GetProperty("detail").GetString());

        // Only the hard request reached the strong model; nothing was tried twice.
        Assert.Single(_upstream.Requests, r => r.Model == "backup-up");
        Assert.Single(_upstream.Requests, r => r.Model == "local-up");
    }

    [Fact]
    public async Task Difficulty_ChosenCandidateFails_FailsOverToTheOthers()
    {
        var router = TrainRouterFile();
        await using var gateway = await TestGateway.StartAsync(_upstream, o => o.Routes["smart"] = new RouteConfig
        {
            Candidates = ["local", "backup"],
            Strategy = new RouteStrategyConfig { Kind = "difficulty", Router = router, StrongShare = 0.3 },
        });
        _upstream.When("backup-up", FakeBehavior.Status(503, "strong model down"));

        var (model, route) = await AskAsync(gateway, "smart", SyntheticOutcomes.HardPrompt(7));

        Assert.Equal("local", model);
        Assert.Contains("failover after backup server_error 503", route, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Difficulty_RouterFileMissing_ConfigErrorNamesTheKey()
    {
        var ex = await Assert.ThrowsAsync<SwitchyardConfigurationException>(() => TestGateway.StartAsync(_upstream, o => o.Routes["smart"] = new RouteConfig
        {
            Candidates = ["local", "backup"],
            Strategy = new RouteStrategyConfig { Kind = "difficulty", Router = Path.Combine(_dir, "missing.json"), StrongShare = 0.3 },
        }));
        Assert.Contains("Switchyard:Routes:smart:Strategy:Router", ex.Message, StringComparison.Ordinal);
        Assert.Contains("missing.json", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("difficulty", null, null, "give exactly one target")]
    [InlineData("difficulty", 0.3, null, "Router: required")]
    [InlineData("cascade", null, null, "is not a verifier")]
    [InlineData("fastest", null, null, "is not a strategy (ordered, difficulty, cascade)")]
    public void BadStrategyConfig_ValidationNamesIt(string kind, double? share, string? verifier, string expected)
    {
        var options = TestGateway.DefaultOptions(_upstream, Path.Combine(_dir, "x.db"));
        options.Routes["smart"] = new RouteConfig { Candidates = ["local", "backup"], Strategy = new RouteStrategyConfig { Kind = kind, StrongShare = share, Verifier = verifier, Router = share is null ? null : null } };
        var errors = SwitchyardOptionsValidator.Validate(options);
        Assert.Contains(errors, e => e.StartsWith("Switchyard:Routes:smart:Strategy", StringComparison.Ordinal) && e.Contains(expected, StringComparison.Ordinal));
    }

    private void AddJudge(SwitchyardOptions o)
    {
        o.Models["judge"] = new ModelConfig { Provider = "fake-openai", UpstreamModel = "judge-up" };
        o.Routes["cascade"] = new RouteConfig
        {
            Candidates = ["local", "backup"],
            Strategy = new RouteStrategyConfig { Kind = "cascade", Verifier = "judge", Judge = "judge", Threshold = 0.7 },
        };
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Cascade_JudgeRejects_EscalatesBeforeAnyOutput(bool stream)
    {
        await using var gateway = await TestGateway.StartAsync(_upstream, AddJudge);
        _upstream.When("judge-up", FakeBehavior.Text("The answer is wrong. Rating: [[2]]"));
        var client = gateway.OpenAIClient("cascade");
        string text, model;
        if (stream)
        {
            text = "";
            model = "";
            await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("what is 17*23?")]))
            {
                text += string.Concat(update.ContentUpdate.Select(p => p.Text));
                model = update.Model ?? model;
            }
        }
        else
        {
            var result = await client.CompleteChatAsync([new UserChatMessage("what is 17*23?")]);
            (text, model) = (result.Value.Content[0].Text, result.Value.Model);
        }

        // The client sees only the strong model's answer, never the rejected one.
        Assert.Equal("backup", model);
        Assert.Equal("echo: what is 17*23?", text);
        var record = Assert.Single(await gateway.StopAndReadLedgerAsync());
        using var decision = JsonDocument.Parse(record.DecisionJson);
        Assert.StartsWith("escalated (judge 0.2 < 0.7)", decision.RootElement.GetProperty("attempts")[0].GetProperty("outcome").GetString(), StringComparison.Ordinal);
        var step = decision.RootElement.GetProperty("strategy").GetProperty("steps")[0];
        Assert.Equal("judge", step.GetProperty("method").GetString());
        Assert.True(step.GetProperty("escalated").GetBoolean());
        Assert.Single(_upstream.Requests, r => r.Model == "judge-up");

        // The rejected answer was generated and billed: its cost is in the record beside the served answer's.
        var overhead = decision.RootElement.GetProperty("overhead_cost").GetDecimal();
        Assert.True(overhead > 0);
        Assert.Equal(Switchyard.Metering.CostCalculator.Cost(TestGateway.BackupPrice, record.InputTokens, record.CachedInputTokens, record.OutputTokens) + overhead, record.Cost);
    }

    [Fact]
    public async Task Cascade_JudgeAccepts_CheapAnswerServes()
    {
        await using var gateway = await TestGateway.StartAsync(_upstream, AddJudge);
        _upstream.When("judge-up", FakeBehavior.Text("Correct and complete. Rating: [[9]]"));

        var result = await gateway.OpenAIClient("cascade").CompleteChatAsync([new UserChatMessage("hello")]);

        Assert.Equal("local", result.Value.Model);
        Assert.DoesNotContain(_upstream.Requests, r => r.Model == "backup-up");
        var record = Assert.Single(await gateway.StopAndReadLedgerAsync());
        using var decision = JsonDocument.Parse(record.DecisionJson);
        Assert.False(decision.RootElement.GetProperty("strategy").GetProperty("steps")[0].GetProperty("escalated").GetBoolean());
    }
}
