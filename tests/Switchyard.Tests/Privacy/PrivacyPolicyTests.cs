using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using Switchyard.Configuration;
using Switchyard.Privacy;
using Switchyard.Routing;
using Switchyard.Testing;

namespace Switchyard.Tests.Privacy;

/// <summary>The privacy policy, the guard that scans requests, and the router removing non-compliant candidates.</summary>
public sealed class PrivacyPolicyTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void NoFindings_AnyZoneMayServe()
    {
        var decision = PrivacyPolicy.From(new PrivacyConfig()).Decide(new Dictionary<string, int>());

        Assert.Null(decision.AllowedZones);
        Assert.True(decision.Allows("us"));
    }

    [Fact]
    public void WithNoRules_AnyFindingKeepsTheRequestInside()
    {
        var decision = PrivacyPolicy.From(new PrivacyConfig()).Decide(new Dictionary<string, int> { ["email"] = 2 });

        Assert.Equal(["self"], decision.AllowedZones);
        Assert.Equal(["default"], decision.Rules);
        Assert.False(decision.Allows("us"));
        Assert.Equal("email x2 (rule default)", decision.Describe());
    }

    [Fact]
    public void FirstCoveringRuleApplies_AndSeveralClassesIntersect()
    {
        var config = new PrivacyConfig
        {
            InsideZones = ["self", "dc2"],
            Rules =
            [
                new PrivacyRuleConfig { Name = "eu-personal", Classes = ["email", "phone"], Zones = ["self", "eu"] },
                new PrivacyRuleConfig { Classes = ["email"], Zones = ["us"] }, // shadowed by the first rule
                new PrivacyRuleConfig { Classes = ["ip_address"], Zones = ["self", "eu", "us"] },
            ],
        };
        var policy = PrivacyPolicy.From(config);

        var email = policy.Decide(new Dictionary<string, int> { ["email"] = 1 });
        var mixed = policy.Decide(new Dictionary<string, int> { ["email"] = 1, ["ip_address"] = 3 });
        var secret = policy.Decide(new Dictionary<string, int> { ["secret"] = 1, ["phone"] = 1 });

        Assert.Equal(["eu", "self"], email.AllowedZones);
        Assert.Equal(["eu-personal"], email.Rules);
        Assert.Equal(["eu", "self"], mixed.AllowedZones);
        Assert.Equal(["eu-personal", "rule-3"], mixed.Rules);
        Assert.Equal(["self"], secret.AllowedZones); // secret falls back to the inside zones {self, dc2}; phone allows {self, eu}
        Assert.Equal(["eu-personal", "default"], secret.Rules);
    }

    [Fact]
    public void Validation_NamesEveryBadRuleKey()
    {
        var options = new SwitchyardOptions();
        options.Privacy.InsideZones.Add(" ");
        options.Privacy.Rules.Add(new PrivacyRuleConfig { Classes = [], Zones = ["self"] });
        options.Privacy.Rules.Add(new PrivacyRuleConfig { Classes = ["E-Mail"], Zones = [] });
        options.Privacy.CustomClasses["Code Name"] = new CustomDataClassConfig { Terms = ["x"] };
        options.Privacy.CustomClasses["ids"] = new CustomDataClassConfig { Patterns = ["(unclosed"] };
        options.Privacy.CustomClasses["empty"] = new CustomDataClassConfig();

        var errors = SwitchyardOptionsValidator.Validate(options);

        Assert.Contains(errors, e => e.StartsWith("Switchyard:Privacy:InsideZones:0:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Switchyard:Privacy:Rules:0:Classes:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Switchyard:Privacy:Rules:1:Classes:0: 'E-Mail'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Switchyard:Privacy:Rules:1:Zones:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Switchyard:Privacy:CustomClasses:Code Name: 'Code Name' is not a data class name", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Switchyard:Privacy:CustomClasses:ids:Patterns:0: not a valid regular expression", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Switchyard:Privacy:CustomClasses:empty: needs at least one entry", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Guard_ScansEveryPartOfTheConversation_AndCountsDeclaredClasses()
    {
        var seen = new List<PrivacyDecision?>();
        var inner = new TestChatClient
        {
            GetResponseAsyncCallback = (_, options, _) =>
            {
                seen.Add(RequestTrace.Get(options)?.Privacy);
                return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok")));
            },
        };
        using var guard = new PrivacyGuardChatClient(inner, new PrivacyScanner([new WordDetector("secret", "hunter2")]), PrivacyPolicy.From(new PrivacyConfig()));

        ChatMessage[] conversation =
        [
            new(ChatRole.System, "keep hunter2 safe"),
            new(ChatRole.User, "hello"),
            new(ChatRole.Assistant, [new FunctionCallContent("c1", "login", new Dictionary<string, object?> { ["password"] = "hunter2" })]),
            new(ChatRole.Tool, [new FunctionResultContent("c1", "token hunter2 accepted")]),
            new(ChatRole.User, "thanks"),
        ];
        await guard.GetResponseAsync(conversation);
        await guard.GetResponseAsync([new ChatMessage(ChatRole.User, "nothing here")]);
        var declared = new ChatOptions { AdditionalProperties = new() { [PrivacyGuardChatClient.DeclaredClassesKey] = "Health, email" } };
        await guard.GetResponseAsync([new ChatMessage(ChatRole.User, "nothing here")], declared);

        Assert.Equal(3, seen[0]!.Classes["secret"]);
        Assert.Equal(["self"], seen[0]!.AllowedZones);
        Assert.Null(seen[1]!.AllowedZones);
        Assert.Equal(["email", "health"], seen[2]!.Classes.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Router_RemovesCandidatesOutsideAllowedZones_BeforeTryingAny()
    {
        var hostedCalls = 0;
        var local = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "local"))) };
        var hosted = new TestChatClient
        {
            GetResponseAsyncCallback = (_, _, _) =>
            {
                hostedCalls++;
                return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "hosted")));
            },
        };
        using var router = Router(("hosted", "us", hosted), ("local", "self", local));
        using var guard = new PrivacyGuardChatClient(router, new PrivacyScanner([new WordDetector("secret", "hunter2")]), PrivacyPolicy.From(new PrivacyConfig()));

        var clean = Options();
        Assert.Equal("hosted", (await guard.GetResponseAsync("hello", clean)).Text);
        var restricted = Options();
        Assert.Equal("local", (await guard.GetResponseAsync("my password is hunter2", restricted)).Text);

        Assert.Equal(1, hostedCalls);
        var decision = RequestTrace.Get(restricted)!.Decision!.Build();
        var eliminated = Assert.Single(decision.Eliminated);
        Assert.Equal("hosted", eliminated.Model);
        Assert.Equal("zone us not allowed for secret (rule default)", eliminated.Reason);
        Assert.Equal(["self"], decision.Privacy!.AllowedZones);
        Assert.Equal("local", decision.Chosen);
    }

    [Fact]
    public async Task NoCompliantCandidateHealthy_Is503NoCompliantRoute_AndNothingGoesOutside()
    {
        var hostedCalls = 0;
        var local = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => throw new ProviderException(ProviderFailureKind.Connection, "refused") };
        var hosted = new TestChatClient
        {
            GetResponseAsyncCallback = (_, _, _) =>
            {
                hostedCalls++;
                return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "hosted")));
            },
        };
        using var router = Router(("local", "self", local), ("hosted", "us", hosted));
        using var guard = new PrivacyGuardChatClient(router, new PrivacyScanner([new WordDetector("secret", "hunter2")]), PrivacyPolicy.From(new PrivacyConfig()));

        var failed = await Assert.ThrowsAsync<NoRouteAvailableException>(() => guard.GetResponseAsync("hunter2", Options()));
        using var onlyHosted = Router(("hosted", "us", hosted));
        using var guard2 = new PrivacyGuardChatClient(onlyHosted, new PrivacyScanner([new WordDetector("secret", "hunter2")]), PrivacyPolicy.From(new PrivacyConfig()));
        var none = await Assert.ThrowsAsync<NoRouteAvailableException>(() => guard2.GetResponseAsync("hunter2", Options()));

        Assert.Equal(0, hostedCalls);
        foreach (var error in new[] { failed, none })
        {
            Assert.True(error.RestrictedByPolicy);
            var info = FailureInfo.From(error, "req");
            Assert.Equal(503, info.Status);
            Assert.Equal("no_compliant_route", info.Code);
        }
    }

    private static ChatOptions Options() => new() { ModelId = "r" };

    private SwitchyardRouter Router(params (string Name, string Zone, IChatClient Client)[] models)
    {
        var candidates = models.Select(m => new RouteCandidate(m.Name, m.Name + "-provider", m.Zone, m.Client, new CircuitBreaker(5, TimeSpan.FromSeconds(30), _time), new ModelPrice(), RetrySettings.None)).ToList();
        return new SwitchyardRouter(new ModelCatalog(candidates, new Dictionary<string, IReadOnlyList<string>> { ["r"] = [.. models.Select(m => m.Name)] }), _time);
    }

    /// <summary>Finds one literal word (a stand-in for the built-in detectors).</summary>
    private sealed class WordDetector(string dataClass, string word) : IPrivacyDetector
    {
        public IReadOnlyList<string> DataClasses => [dataClass];

        public void Detect(string text, List<PrivacyFinding> findings)
        {
            for (int at = text.IndexOf(word, StringComparison.Ordinal); at >= 0; at = text.IndexOf(word, at + word.Length, StringComparison.Ordinal))
            {
                findings.Add(new PrivacyFinding(dataClass, at, word.Length, 1));
            }
        }
    }
}
