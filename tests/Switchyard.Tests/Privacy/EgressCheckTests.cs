using System.Net;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchyard.Configuration;
using Switchyard.Routing;
using Switchyard.Testing;
using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Privacy;

/// <summary>
/// Defence in depth: the egress check scans the exact bytes each provider client built and stops a request to a zone
/// outside the boundary when they hold a value the policy keeps inside — even when the early guard never ran. And the
/// audit side of the boundary: where a value was found, content that cannot be read, the caller id.
/// </summary>
public sealed class EgressCheckTests : IAsyncLifetime
{
    private FakeUpstream _upstream = null!;

    public async Task InitializeAsync() => _upstream = await FakeUpstream.StartAsync();

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    private static void Routes(SwitchyardOptions options)
    {
        options.Routes["hosted-first"] = new RouteConfig { Candidates = ["backup", "local"] };
        options.Routes["claude-first"] = new RouteConfig { Candidates = ["claude", "local"] };
    }

    [Theory]
    [InlineData("hosted-first", "backup-up", false)]
    [InlineData("hosted-first", "backup-up", true)]
    [InlineData("claude-first", "claude-up", false)] // through the official Anthropic SDK's HTTP pipeline
    [InlineData("claude-first", "claude-up", true)]
    public async Task WithoutTheGuard_TheEgressCheckStillKeepsTheValueInside(string route, string hostedUpstream, bool stream)
    {
        await using var gateway = await TestGateway.StartAsync(_upstream, Routes);
        var options = new ChatOptions { ModelId = route };
        var trace = new RequestTrace("egress-test");
        trace.AttachTo(options);
        ChatMessage[] messages = [new(ChatRole.User, "Please reach me at grace.hopper@example.org tomorrow.")];

        // The router alone: no privacy guard decided anything, so only the egress check stands in the way.
        string text = stream
            ? string.Concat(await gateway.Runtime.Router.GetStreamingResponseAsync(messages, options).Select(u => u.Text).ToListAsync())
            : (await gateway.Runtime.Router.GetResponseAsync(messages, options)).Text;

        Assert.NotEmpty(text);
        Assert.DoesNotContain(_upstream.Requests, r => r.Model == hostedUpstream);
        Assert.Equal("local-up", Assert.Single(_upstream.Requests).Model);
        var decision = trace.Decision!.Build();
        Assert.Equal("local", decision.Chosen);
        var eliminated = Assert.Single(decision.Eliminated);
        Assert.StartsWith("egress check: email at $.messages[0]", eliminated.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("grace", eliminated.Reason, StringComparison.Ordinal);
        Assert.Contains(decision.Attempts, a => a.Outcome == "privacy_blocked");
    }

    [Fact]
    public async Task ACleanRequestPassesTheEgressCheckUnchanged()
    {
        await using var gateway = await TestGateway.StartAsync(_upstream, Routes);
        var options = new ChatOptions { ModelId = "claude-first" };
        var response = await gateway.Runtime.Router.GetResponseAsync([new ChatMessage(ChatRole.User, "What is the capital of France?")], options);
        Assert.NotEmpty(response.Text);
        Assert.Equal("claude-up", Assert.Single(_upstream.Requests).Model);
    }

    [Fact]
    public async Task TheLedgerRecordsWhereValuesWere_NeverTheValues_AndTheCallerIdIsRedacted()
    {
        await using var gateway = await TestGateway.StartAsync(_upstream, Routes);
        string body = JsonSerializer.Serialize(new
        {
            model = "hosted-first",
            user = "ada.lovelace@example.net",
            messages = new object[] { new { role = "user", name = "bob", content = "hello" } },
            tools = new object[] { new { type = "function", function = new { name = "lookup", description = "Looks up 4111 1111 1111 1111", parameters = new { type = "object", properties = new { } } } } },
        });

        using var response = await gateway.PostChatAsync(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("local-up", Assert.Single(_upstream.Requests).Model);
        var record = Assert.Single(await gateway.StopAndReadLedgerAsync());
        Assert.Equal("[email]", record.Caller);
        Assert.DoesNotContain("ada.lovelace", record.DecisionJson, StringComparison.Ordinal);
        Assert.DoesNotContain("4111", record.DecisionJson, StringComparison.Ordinal);
        using var decision = JsonDocument.Parse(record.DecisionJson);
        var locations = decision.RootElement.GetProperty("privacy").GetProperty("locations").EnumerateArray()
            .Select(l => (l.GetProperty("class").GetString(), l.GetProperty("path").GetString())).ToList();
        Assert.Contains(("email", "user"), locations);
        Assert.Contains(("payment_card", "tools[0].function.description"), locations);
    }

    [Theory]
    [InlineData("https://images.example.net/cat.png")]
    [InlineData("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")]
    public async Task ContentTheGatewayCannotReadStaysInside_UnlessARuleLetsItOut(string url)
    {
        string body = JsonSerializer.Serialize(new
        {
            model = "hosted-first",
            messages = new object[] { new { role = "user", content = new object[] { new { type = "text", text = "What is in this picture?" }, new { type = "image_url", image_url = new { url } } } } },
        });

        await using (var gateway = await TestGateway.StartAsync(_upstream, Routes))
        {
            using var response = await gateway.PostChatAsync(body);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var record = Assert.Single(await gateway.StopAndReadLedgerAsync());
            Assert.Equal("self", record.Zone);
            Assert.Contains("\"uninspectable\"", record.DecisionJson, StringComparison.Ordinal);
        }

        await using (var allowing = await TestGateway.StartAsync(_upstream, o =>
        {
            Routes(o);
            o.Privacy.Rules.Add(new PrivacyRuleConfig { Name = "images-ok", Classes = ["uninspectable"], Zones = ["self", "us"] });
        }))
        {
            using var response = await allowing.PostChatAsync(body);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("us", Assert.Single(await allowing.StopAndReadLedgerAsync()).Zone);
        }
    }

    [Fact]
    public async Task PseudonymisationReplacesTheOriginalCharactersOfAnObfuscatedValue_AndRestoresThemStreamed()
    {
        await using var gateway = await TestGateway.StartAsync(_upstream, o =>
        {
            o.Routes["hosted-pseudo"] = new RouteConfig { Candidates = ["backup"], Pseudonymize = true };
            o.Privacy.Rules.Add(new PrivacyRuleConfig { Name = "email-pseudonymised", Classes = ["email"], Zones = ["self"] });
        });
        _upstream.When("backup-up", FakeBehavior.Echo());
        const string Obfuscated = "grace\u200B.hopper [at] example [dot] org";
        var client = gateway.OpenAIClient("hosted-pseudo");

        var updates = client.CompleteChatStreamingAsync([new OpenAI.Chat.UserChatMessage($"Write to {Obfuscated} now.")]);
        var text = new System.Text.StringBuilder();
        await foreach (var update in updates)
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }
        }

        var sent = Assert.Single(_upstream.Requests);
        Assert.Contains("[[EMAIL_1]]", sent.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("hopper", sent.Body, StringComparison.Ordinal);
        Assert.Equal($"echo: Write to {Obfuscated} now.", text.ToString());
    }
}

/// <summary>The egress inspector on its own: what it reads in a payload, and the texts the guard already found clean.</summary>
public sealed class EgressInspectorTests
{
    private static readonly Switchyard.Privacy.Egress.EgressInspector Inspector = new(
        Switchyard.Privacy.PrivacyScanner.CreateDefault(), new Switchyard.Privacy.PrivacyPolicy(["self"], []));

    private static ReadOnlyMemory<byte> Payload(string json) => System.Text.Encoding.UTF8.GetBytes(json);

    [Fact]
    public void FindsValuesInStringsNamesDataUrlsAndAcrossMessages_AndMarksImagesUninspectable()
    {
        string dataUrl = "data:text/plain;base64," + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("card 4111 1111 1111 1111"));
        var findings = Inspector.Inspect(Payload($$$"""
            {"model":"m","user":"ada@example.net","messages":[
              {"role":"user","content":[{"type":"text","text":"reach me at grace.hopper@exa"},{"type":"image_url","image_url":{"url":"https://img.example/a.png"}}]},
              {"role":"user","content":"mple.org please"},
              {"role":"user","content":[{"type":"image_url","image_url":{"url":"{{{dataUrl}}}"}}]}]}
            """));
        Assert.Contains(findings, f => f.DataClass == "email" && f.Path == "$.user");
        Assert.Contains(findings, f => f.DataClass == "email" && f.Path.Contains('…', StringComparison.Ordinal));
        Assert.Contains(findings, f => f.DataClass == "uninspectable" && f.Path == "$.messages[0].content[1].image_url.url");
        Assert.Contains(findings, f => f.DataClass == "payment_card" && f.Path == "$.messages[2].content[0].image_url.url");
    }

    [Fact]
    public void TextsTheGuardFoundCleanAreNotScannedAgain_OthersAre()
    {
        var payload = Payload("""{"messages":[{"role":"user","content":"write to ada@example.net"}],"user":"bob@example.org"}""");
        Assert.Throws<Switchyard.Privacy.Egress.PrivacyEgressException>(() => Inspector.Check(payload, "us"));

        // Pretend the guard scanned the message text and found nothing (it would not have): only `user` is read.
        var ex = Assert.Throws<Switchyard.Privacy.Egress.PrivacyEgressException>(() => Inspector.Check(payload, "us", new HashSet<string> { "write to ada@example.net" }));
        var only = Assert.Single(ex.Findings);
        Assert.Equal("$.user", only.Path);

        Inspector.Check(payload, "self"); // inside: nothing to check
    }
}
