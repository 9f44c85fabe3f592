using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Switchyard.Configuration;
using Switchyard.Testing;
using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Privacy;

/// <summary>
/// The privacy boundary through the real gateway: <c>backup</c> is hosted (zone us), <c>local</c> is inside (zone
/// self); route <c>hosted-first</c> tries the hosted model first. A request carrying a detected value never reaches it.
/// </summary>
public sealed class PrivacyGatewayTests : IAsyncLifetime
{
    private FakeUpstream _upstream = null!;

    public async Task InitializeAsync() => _upstream = await FakeUpstream.StartAsync();

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    private static void HostedFirst(SwitchyardOptions options) => options.Routes["hosted-first"] = new RouteConfig { Candidates = ["backup", "local"] };

    private static string Body(string content) =>
        JsonSerializer.Serialize(new { model = "hosted-first", messages = new object[] { new { role = "system", content = "be brief" }, new { role = "user", content } } });

    [Fact]
    public async Task CleanRequest_GoesToTheHostedModel_RestrictedOneStaysInside_AndTheLedgerSaysWhy()
    {
        await using var gateway = await TestGateway.StartAsync(_upstream, HostedFirst);

        using var clean = await gateway.PostChatAsync(Body("What is the capital of France?"));
        using var restricted = await gateway.PostChatAsync(Body("Please write to jane.doe@example.org about it."));

        Assert.Equal(HttpStatusCode.OK, clean.StatusCode);
        Assert.Equal(HttpStatusCode.OK, restricted.StatusCode);
        Assert.Equal(["backup-up", "local-up"], _upstream.Requests.Select(r => r.Model));
        Assert.DoesNotContain(_upstream.Requests, r => r.Model == "backup-up" && r.Body.Contains("jane.doe", StringComparison.Ordinal));

        var records = await gateway.StopAndReadLedgerAsync();
        Assert.Equal(2, records.Count);
        Assert.Equal("us", records[0].Zone);
        Assert.Equal("self", records[1].Zone);
        using var decision = JsonDocument.Parse(records[1].DecisionJson);
        var privacy = decision.RootElement.GetProperty("privacy");
        Assert.Equal(1, privacy.GetProperty("classes").GetProperty("email").GetInt32());
        Assert.Equal("self", privacy.GetProperty("allowed_zones")[0].GetString());
        Assert.Equal("default", privacy.GetProperty("rules")[0].GetString());
        Assert.DoesNotContain("jane.doe", records[1].DecisionJson, StringComparison.Ordinal);
        Assert.StartsWith("zone us not allowed for email", decision.RootElement.GetProperty("eliminated")[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InsideModelDown_Is503NoCompliantRoute_AndTheHostedUpstreamReceivesNothing()
    {
        await using var gateway = await TestGateway.StartAsync(_upstream, HostedFirst);
        _upstream.When("local-up", FakeBehavior.Status(500, "inside model down"));

        using var response = await gateway.PostChatAsync(Body("My card is 4111 1111 1111 1111, can you check it?"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("no_compliant_route", error.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.All(_upstream.Requests, r => Assert.Equal("local-up", r.Model));
        var record = Assert.Single(await gateway.StopAndReadLedgerAsync());
        Assert.Equal(503, record.HttpStatus);
    }

    [Fact]
    public async Task DeclaredDataClassHeader_RestrictsAnOtherwiseCleanRequest()
    {
        await using var gateway = await TestGateway.StartAsync(_upstream, o =>
        {
            HostedFirst(o);
            o.Privacy.Rules.Add(new PrivacyRuleConfig { Name = "health-eu", Classes = ["health"], Zones = ["self", "eu"] });
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = new StringContent(Body("Summarise the attached notes.")) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("x-switchyard-data-class", "health");

        using var response = await gateway.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["local-up"], _upstream.Requests.Select(r => r.Model));
        var record = Assert.Single(await gateway.StopAndReadLedgerAsync());
        Assert.Contains("\"health-eu\"", record.DecisionJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PseudonymizingRoute_SendsPlaceholdersOutside_AndRestoresTheReply()
    {
        await using var gateway = await TestGateway.StartAsync(_upstream, o => o.Routes["hosted-first"] = new RouteConfig { Candidates = ["backup", "local"], Pseudonymize = true });

        using var response = await gateway.PostChatAsync(Body("Please write to jane.doe@example.org and jane.doe@example.org again."));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Assert.Single(_upstream.Requests);
        Assert.Equal("backup-up", sent.Model);
        Assert.DoesNotContain("jane.doe", sent.Body, StringComparison.Ordinal);
        Assert.Contains("[[EMAIL_1]] and [[EMAIL_1]] again", sent.Body, StringComparison.Ordinal);
        using var reply = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("jane.doe@example.org and jane.doe@example.org again", reply.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString(), StringComparison.Ordinal);

        var record = Assert.Single(await gateway.StopAndReadLedgerAsync());
        Assert.Equal("us", record.Zone);
        using var decision = JsonDocument.Parse(record.DecisionJson);
        Assert.Equal("backup", decision.RootElement.GetProperty("pseudonymized")[0].GetString());
        Assert.Equal(2, decision.RootElement.GetProperty("privacy").GetProperty("classes").GetProperty("email").GetInt32());
    }

    [Fact]
    public async Task PseudonymizingRoute_StillKeepsDeclaredClassesInside()
    {
        await using var gateway = await TestGateway.StartAsync(_upstream, o => o.Routes["hosted-first"] = new RouteConfig { Candidates = ["backup", "local"], Pseudonymize = true });
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = new StringContent(Body("Write to jane.doe@example.org")) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("x-switchyard-data-class", "health");

        using var response = await gateway.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["local-up"], _upstream.Requests.Select(r => r.Model));
    }

    [Fact]
    public async Task CustomClassFromConfig_KeepsMatchingRequestsInside()
    {
        await using var gateway = await TestGateway.StartAsync(_upstream, o =>
        {
            HostedFirst(o);
            o.Privacy.CustomClasses["codename"] = new CustomDataClassConfig { Terms = ["Bluebird"], Patterns = [@"\bCUST-\d{6}\b"] };
        });

        using var term = await gateway.PostChatAsync(Body("How is project bluebird going?"));
        using var pattern = await gateway.PostChatAsync(Body("Look up CUST-123456 please."));
        using var clean = await gateway.PostChatAsync(Body("How is project bluejay going?"));

        Assert.All(new[] { term, pattern, clean }, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(["local-up", "local-up", "backup-up"], _upstream.Requests.Select(r => r.Model));
        var records = await gateway.StopAndReadLedgerAsync();
        Assert.Contains("\"codename\":1", records[0].DecisionJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RouteDataClasses_RestrictEveryRequestToTheRoute()
    {
        await using var gateway = await TestGateway.StartAsync(_upstream, o =>
            o.Routes["hosted-first"] = new RouteConfig { Candidates = ["backup", "local"], DataClasses = ["health"] });

        using var response = await gateway.PostChatAsync(Body("Nothing sensitive in here."));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["local-up"], _upstream.Requests.Select(r => r.Model));
        var record = Assert.Single(await gateway.StopAndReadLedgerAsync());
        Assert.Contains("\"health\":1", record.DecisionJson, StringComparison.Ordinal);
    }
}
