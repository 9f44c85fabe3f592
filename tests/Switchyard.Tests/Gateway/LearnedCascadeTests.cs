using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenAI.Chat;
using Switchyard.Configuration;
using Switchyard.Embeddings;
using Switchyard.Gateway;
using Switchyard.Routing.Learners.Verification;
using Switchyard.Testing;
using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Gateway;

/// <summary>
/// A cascade route with the learned verifier (<c>Verifier: learned</c>) through the real gateway and the official
/// OpenAI SDK: a cheap answer that commits to a final <c>####</c> answer is kept, one that hedges escalates.
/// </summary>
public sealed class LearnedCascadeTests : IAsyncLifetime
{
    private const string Good = "Tom starts with 5 apples and buys 7 more: 5 + 7 = 12.\n#### 12";
    private const string Hedging = "I think it might be around 12 apples, but maybe not; I'm not sure how many he buys, so perhaps it is unclear.";

    private readonly string _dir = Directory.CreateTempSubdirectory("learned-cascade-").FullName;
    private FakeUpstream _upstream = null!;

    public async Task InitializeAsync() => _upstream = await FakeUpstream.StartAsync();

    public async Task DisposeAsync()
    {
        await _upstream.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>
    /// Weak answers whose quality is known: good ones work the sum out and end with a <c>####</c> line, bad ones hedge
    /// and never commit. The strong model is always right. Trained under other model names than the candidates'.
    /// </summary>
    internal static List<VerifierExample> Examples(int count)
    {
        var examples = new List<VerifierExample>(count);
        for (var i = 0; i < count; i++)
        {
            var (a, b) = (3 + (i * 7 % 40), 2 + (i * 5 % 17));
            var prompt = string.Create(CultureInfo.InvariantCulture, $"Problem {i}: a shop has {a} boxes and gets {b} more{(i % 3 == 0 ? " on Monday" : "")}. How many boxes does it have now?");
            var good = i % 2 == 0;
            var answer = good
                ? string.Create(CultureInfo.InvariantCulture, $"The shop has {a} boxes.{(i % 4 == 0 ? " It gets more." : "")}\nIt gets {b} more: {a} + {b} = {a + b}.\n#### {a + b}")
                : string.Create(CultureInfo.InvariantCulture, $"I think it might have about {a} boxes, but maybe{(i % 4 == 1 ? " roughly" : "")} more; I'm not sure how many it gets, so perhaps the total is unclear.");
            examples.Add(new VerifierExample($"p/{i}", [new Microsoft.Extensions.AI.ChatMessage(ChatRole.User, prompt)], answer, good ? 1 : 0, 1));
        }

        return examples;
    }

    private string TrainVerifierFile(ITextEmbedder? embedder = null, string name = "verifier.json")
    {
        var path = Path.Combine(_dir, name);
        VerifierModelJson.Save(new VerifierTrainer().Fit(Examples(120), "mixtral", "gpt-4", embedder), path);
        return path;
    }

    private static RouteConfig LearnedRoute(string? verifierModel, double? share = null, double? quality = 0.9) => new()
    {
        Candidates = ["local", "backup"],
        Strategy = new RouteStrategyConfig { Kind = "cascade", Verifier = "learned", VerifierModel = verifierModel, StrongShare = share, QualityTarget = quality },
    };

    private static async Task<(string Model, string Text, string Route)> AskAsync(TestGateway gateway, string prompt)
    {
        var result = await gateway.OpenAIClient("checked").CompleteChatAsync([new UserChatMessage(prompt)]);
        Assert.True(result.GetRawResponse().Headers.TryGetValue("x-switchyard-route", out var header));
        return (result.Value.Model, result.Value.Content[0].Text, header!);
    }

    [Fact]
    public async Task Learned_FinalAnswerKept_HedgingEscalates_DecisionRecordsScoreAndThreshold()
    {
        var path = TrainVerifierFile();
        var expected = VerifierModelJson.Load(path).ThresholdForQuality(0.9).Threshold;
        await using var gateway = await TestGateway.StartAsync(_upstream, o => o.Routes["checked"] = LearnedRoute(path));
        _upstream.Once("local-up", FakeBehavior.Text(Good));
        _upstream.Once("local-up", FakeBehavior.Text(Hedging));

        var kept = await AskAsync(gateway, "Tom has 5 apples and buys 7 more. How many apples does he have?");
        var escalated = await AskAsync(gateway, "Ann has 4 pears and buys 9 more. How many pears does she have?");

        Assert.Equal(("local", Good), (kept.Model, kept.Text));
        Assert.Equal("backup", escalated.Model);
        Assert.Equal("echo: Ann has 4 pears and buys 9 more. How many pears does she have?", escalated.Text);
        Assert.Contains("escalated (learned ", escalated.Route, StringComparison.Ordinal);

        var records = await gateway.StopAndReadLedgerAsync();
        Assert.Equal(["local", "backup"], records.Select(r => r.ServedModel));
        var keptStep = Step(records[0].DecisionJson);
        var escalatedStep = Step(records[1].DecisionJson);
        foreach (var step in new[] { keptStep, escalatedStep })
        {
            Assert.Equal("local", step.GetProperty("model").GetString());
            Assert.Equal("learned", step.GetProperty("method").GetString());
            Assert.Equal(expected, step.GetProperty("threshold").GetDouble(), 1e-12);
            Assert.StartsWith("P(good) ", step.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.False(keptStep.GetProperty("escalated").GetBoolean());
        Assert.True(keptStep.GetProperty("score").GetDouble() >= expected);
        Assert.True(escalatedStep.GetProperty("escalated").GetBoolean());
        Assert.True(escalatedStep.GetProperty("score").GetDouble() < expected);

        // The verifier made no call: local answered twice, backup only for the escalated request.
        Assert.Equal(2, _upstream.Requests.Count(r => r.Model == "local-up"));
        Assert.Single(_upstream.Requests, r => r.Model == "backup-up");
        Assert.Equal(3, _upstream.Requests.Count);
    }

    [Fact]
    public async Task Learned_WithMiniLmEmbedding_UsesTheSharedEmbedder()
    {
        string path;
        using (var embedder = new MiniLmEmbedder())
        {
            path = TrainVerifierFile(embedder, "embedding-verifier.json");
        }

        Assert.Equal(384, VerifierModelJson.Load(path).EmbeddingDimensions);
        await using var gateway = await TestGateway.StartAsync(_upstream, o => o.Routes["checked"] = LearnedRoute(path, share: 0.5, quality: null));
        _upstream.Once("local-up", FakeBehavior.Text(Good));
        _upstream.Once("local-up", FakeBehavior.Text(Hedging));

        Assert.Equal("local", (await AskAsync(gateway, "Tom has 5 apples and buys 7 more. How many apples does he have?")).Model);
        Assert.Equal("backup", (await AskAsync(gateway, "Ann has 4 pears and buys 9 more. How many pears does she have?")).Model);
    }

    private static JsonElement Step(string decisionJson)
    {
        using var decision = JsonDocument.Parse(decisionJson);
        var strategy = decision.RootElement.GetProperty("strategy");
        Assert.Equal("cascade", strategy.GetProperty("kind").GetString());
        return strategy.GetProperty("steps")[0].Clone();
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("not-json")]
    [InlineData("router")]
    public async Task Learned_BadVerifierFile_ConfigErrorNamesTheKeyAndTheProblem(string kind)
    {
        var path = Path.Combine(_dir, kind + ".json");
        var problem = kind switch
        {
            "missing" => "cannot be read",
            "not-json" => "not a valid cascade verifier",
            _ => "switchyard.cascade-verifier/1",
        };
        if (kind == "not-json")
        {
            File.WriteAllText(path, "this is not a verifier");
        }
        else if (kind == "router")
        {
            File.WriteAllText(path, """{"format": "switchyard.difficulty-router/2", "models": ["a", "b"]}""");
        }

        var ex = await Assert.ThrowsAsync<SwitchyardConfigurationException>(() => TestGateway.StartAsync(_upstream, o => o.Routes["checked"] = LearnedRoute(path)));

        Assert.Contains("Switchyard:Routes:checked:Strategy:VerifierModel: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(kind + ".json", ex.Message, StringComparison.Ordinal);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Learned_EmbeddingOfAnotherSize_ConfigErrorNamesTheKey()
    {
        var path = TrainVerifierFile(new TinyEmbedder(), "tiny.json");

        var ex = await Assert.ThrowsAsync<SwitchyardConfigurationException>(() => TestGateway.StartAsync(_upstream, o => o.Routes["checked"] = LearnedRoute(path)));

        Assert.Contains("Switchyard:Routes:checked:Strategy:VerifierModel: the verifier was trained on 8-dimensional all-MiniLM-L6-v2 embeddings; the embedder gives 384.", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null, 0.9, null, "Strategy:VerifierModel: required for the learned verifier")]
    [InlineData("v.json", null, null, null, "Strategy: the learned verifier needs exactly one target: StrongShare")]
    [InlineData("v.json", 0.3, 0.9, null, "Strategy: the learned verifier needs exactly one target: StrongShare")]
    [InlineData("v.json", 1.5, null, null, "Strategy:StrongShare: 1.5 is outside 0–1.")]
    [InlineData("v.json", null, -0.1, null, "Strategy:QualityTarget: -0.1 is outside 0–1.")]
    [InlineData("v.json", null, null, 0.01, "Strategy:CostBudget: the learned verifier is calibrated to StrongShare or QualityTarget")]
    public async Task Learned_BadConfig_ValidationNamesTheKey(string? file, double? share, double? quality, double? budget, string expected)
    {
        var route = LearnedRoute(file is null ? null : Path.Combine(_dir, file), share, quality);
        route.Strategy!.CostBudget = budget;

        var options = TestGateway.DefaultOptions(_upstream, Path.Combine(_dir, "x.db"));
        options.Routes["checked"] = route;
        Assert.Contains(SwitchyardOptionsValidator.Validate(options), e => e.StartsWith("Switchyard:Routes:checked:" + expected, StringComparison.Ordinal));
        var ex = await Assert.ThrowsAsync<SwitchyardConfigurationException>(() => TestGateway.StartAsync(_upstream, o => o.Routes["checked"] = route));
        Assert.Contains("Switchyard:Routes:checked:" + expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Learned_ThresholdIsIgnored_AndUnknownVerifierListsLearned()
    {
        var options = TestGateway.DefaultOptions(_upstream, Path.Combine(_dir, "x.db"));
        options.Routes["checked"] = LearnedRoute(Path.Combine(_dir, "v.json"));
        options.Routes["checked"].Strategy!.Threshold = 5;
        Assert.Empty(SwitchyardOptionsValidator.Validate(options));

        options.Routes["checked"].Strategy!.Verifier = "oracle";
        Assert.Contains(SwitchyardOptionsValidator.Validate(options), e => e == "Switchyard:Routes:checked:Strategy:Verifier: 'oracle' is not a verifier (judge, self_consistency, learned).");
    }

    [Fact]
    public void Learned_RelativeVerifierModel_ResolvesAgainstTheConfigFile()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_dir, "conf")).FullName;
        var config = Path.Combine(folder, "switchyard.json");
        File.WriteAllText(config, """
            {"Switchyard": {
              "Providers": {"fake": {"Kind": "openai-compatible", "BaseUrl": "BASE", "Zone": "self"}},
              "Models": {"local": {"Provider": "fake"}, "backup": {"Provider": "fake"}},
              "Routes": {"checked": {"Candidates": ["local", "backup"],
                "Strategy": {"Kind": "cascade", "Verifier": "learned", "VerifierModel": "models/verifier.json", "StrongShare": 0.3}}}}}
            """.Replace("BASE", _upstream.OpenAIBaseUri.ToString(), StringComparison.Ordinal));

        var options = SwitchyardConfigLoader.Load(config);

        Assert.Equal(Path.Combine(folder, "models", "verifier.json"), options.Routes["checked"].Strategy!.VerifierModel);
    }

    /// <summary>A deterministic 8-dimensional embedder (the text's length and character classes), to train a verifier MiniLM cannot serve.</summary>
    private sealed class TinyEmbedder : ITextEmbedder
    {
        public int Dimensions => 8;

        public float[] Embed(string text)
        {
            var v = new float[8];
            for (var i = 0; i < text.Length; i++)
            {
                v[text[i] % 8] += 1f / (1 + text.Length);
            }

            return v;
        }

        public IReadOnlyList<float[]> Embed(IReadOnlyList<string> texts) => [.. texts.Select(Embed)];
    }
}
