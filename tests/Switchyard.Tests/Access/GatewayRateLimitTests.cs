using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Switchyard.Configuration;
using Switchyard.Storage.Access;
using Switchyard.Testing;
using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Access;

/// <summary>Requests per minute on the real gateway: OpenAI's x-ratelimit headers, then 429 with Retry-After, recorded in the ledger.</summary>
public sealed class GatewayRateLimitTests : IAsyncLifetime
{
    private FakeUpstream _upstream = null!;

    public async Task InitializeAsync() => _upstream = await FakeUpstream.StartAsync();

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    [Fact]
    public async Task KeyRpm_CountsDown_ThenRefusesWithRetryAfter()
    {
        await using var gateway = await TestGateway.StartAsync(_upstream, o => o.Auth.Mode = AuthModes.Keys);
        var key = await gateway.Runtime.Keys!.CreateKeyAsync(new KeySpec("limited") { Rpm = 3 });
        var remaining = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            using var ok = await PostAsync(gateway, key.Key);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal("3", ok.Headers.GetValues("x-ratelimit-limit-requests").Single());
            remaining.Add(ok.Headers.GetValues("x-ratelimit-remaining-requests").Single());
        }

        Assert.Equal(["2", "1", "0"], remaining);
        using var refused = await PostAsync(gateway, key.Key);
        Assert.Equal((HttpStatusCode)429, refused.StatusCode);
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
        Assert.Equal("0", refused.Headers.GetValues("x-ratelimit-remaining-requests").Single());
        using (var doc = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()))
        {
            Assert.Equal("rate_limit_exceeded", doc.RootElement.GetProperty("error").GetProperty("code").GetString());
        }

        Assert.Equal(3, _upstream.Requests.Count);
        var rows = await gateway.StopAndReadLedgerAsync();
        Assert.Equal([200, 200, 200, 429], rows.Select(r => r.HttpStatus));
    }

    [Fact]
    public async Task TeamRpm_IsSharedByItsKeys()
    {
        await using var gateway = await TestGateway.StartAsync(_upstream, o => o.Auth.Mode = AuthModes.Keys);
        var team = await gateway.Runtime.Keys!.CreateTeamAsync(new TeamSpec("small") { Rpm = 2 });
        var a = await gateway.Runtime.Keys.CreateKeyAsync(new KeySpec("a") { Team = team.Id });
        var b = await gateway.Runtime.Keys.CreateKeyAsync(new KeySpec("b") { Team = team.Id });
        using (var first = await PostAsync(gateway, a.Key))
        using (var second = await PostAsync(gateway, b.Key))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        }

        using var third = await PostAsync(gateway, a.Key);
        Assert.Equal((HttpStatusCode)429, third.StatusCode);
        Assert.Contains("team 'small'", await third.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelRpm_FailsOverToTheNextCandidate_ThenRefuses()
    {
        // Open mode: a model's own limit applies to every caller.
        await using var gateway = await TestGateway.StartAsync(_upstream, o =>
        {
            o.Models["local"].Rpm = 2;
            o.Models["backup"].Rpm = 1;
        });
        var served = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await gateway.PostChatAsync("""{"model":"default","max_tokens":10,"messages":[{"role":"user","content":"hello"}]}""");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            served.Add(response.Headers.GetValues("x-switchyard-route").Single());
        }

        Assert.Contains("model=local", served[0], StringComparison.Ordinal);
        Assert.Contains("model=local", served[1], StringComparison.Ordinal);
        Assert.Contains("model=backup", served[2], StringComparison.Ordinal);
        Assert.Contains("local rate limited", served[2], StringComparison.Ordinal);
        using var refused = await gateway.PostChatAsync("""{"model":"default","max_tokens":10,"messages":[{"role":"user","content":"hello"}]}""");
        Assert.Equal((HttpStatusCode)429, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Contains("rate_limit_exceeded", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(3, _upstream.Requests.Count);
    }

    private static async Task<HttpResponseMessage> PostAsync(TestGateway gateway, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = new StringContent("""{"model":"local","max_tokens":10,"messages":[{"role":"user","content":"hello"}]}"""),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await gateway.Http.SendAsync(request);
    }
}
