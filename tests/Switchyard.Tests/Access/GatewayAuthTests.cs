using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Switchyard.Access;
using Switchyard.Configuration;
using Switchyard.Gateway;
using Switchyard.Storage.Access;
using Switchyard.Testing;
using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Access;

/// <summary>API keys on the real gateway: 401 and 403 in OpenAI's format, the ledger's key columns, revocation, open mode.</summary>
public sealed class GatewayAuthTests : IAsyncLifetime
{
    private FakeUpstream _upstream = null!;
    private TestGateway _gateway = null!;
    private KeyStore _keys = null!;

    public async Task InitializeAsync()
    {
        _upstream = await FakeUpstream.StartAsync();
        _gateway = await TestGateway.StartAsync(_upstream, o =>
        {
            o.Auth.Mode = AuthModes.Keys;
            o.Auth.KeyCacheMilliseconds = 100;
        });
        _keys = _gateway.Runtime.Keys!;
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task NoKey_Gets401InOpenAIFormat_AndALedgerRow()
    {
        using var response = await _gateway.PostChatAsync("""{"model":"local","messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        var error = await ErrorOf(response);
        Assert.Equal("missing_api_key", error.GetProperty("code").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Empty(_upstream.Requests);
        var row = Assert.Single(await _gateway.StopAndReadLedgerAsync());
        Assert.Equal(401, row.HttpStatus);
        Assert.Null(row.KeyId);
    }

    [Fact]
    public async Task WrongSecret_Gets401_LedgerKeepsOnlyThePrefix()
    {
        var created = await _keys.CreateKeyAsync(new KeySpec("ci"));
        var forged = created.Key[..^1] + (created.Key[^1] == 'a' ? 'b' : 'a');
        using var response = await PostAsync(forged, "local");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_api_key", (await ErrorOf(response)).GetProperty("code").GetString());
        var row = Assert.Single(await _gateway.StopAndReadLedgerAsync());
        Assert.Equal(created.Info.Prefix, row.KeyPrefix);
        Assert.Null(row.KeyId);
        var bytes = string.Concat(new[] { _gateway.LedgerPath, _gateway.LedgerPath + "-wal" }.Where(File.Exists).Select(f => File.ReadAllText(f, System.Text.Encoding.Latin1)));
        Assert.Contains(created.Info.Prefix, bytes, StringComparison.Ordinal);
        Assert.DoesNotContain(created.Key[^40..], bytes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotASwitchyardKey_Gets401()
    {
        using var response = await PostAsync("sk-proj-0123456789", "local");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_api_key", (await ErrorOf(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task GoodKey_ThroughTheOfficialSdk_IsRecordedWithKeyAndTeam()
    {
        var team = await _keys.CreateTeamAsync(new TeamSpec("platform"));
        var created = await _keys.CreateKeyAsync(new KeySpec("ci") { Team = team.Id });
        var client = new OpenAI.Chat.ChatClient("local", new System.ClientModel.ApiKeyCredential(created.Key), new OpenAI.OpenAIClientOptions { Endpoint = _gateway.OpenAIBaseUri, RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(0) });
        var completion = await client.CompleteChatAsync("hello");
        Assert.False(string.IsNullOrEmpty(completion.Value.Content[0].Text));
        var row = Assert.Single(await _gateway.StopAndReadLedgerAsync());
        Assert.Equal(200, row.HttpStatus);
        Assert.Equal(created.Info.Id, row.KeyId);
        Assert.Equal(created.Info.Prefix, row.KeyPrefix);
        Assert.Equal(team.Id, row.TeamId);
        Assert.Equal("ci", row.Caller);
    }

    [Fact]
    public async Task AnthropicStyleHeader_IsAccepted()
    {
        var created = await _keys.CreateKeyAsync(new KeySpec("anthropic-client"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = Json("local") };
        request.Headers.Add("x-api-key", created.Key);
        using var response = await _gateway.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ModelOutsideTheKeysList_Gets403_AndModelsListsOnlyAllowed()
    {
        var created = await _keys.CreateKeyAsync(new KeySpec("narrow") { AllowedModels = ["default"] });
        using (var ok = await PostAsync(created.Key, "default"))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using (var refused = await PostAsync(created.Key, "claude"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            var error = await ErrorOf(refused);
            Assert.Equal("model_not_allowed", error.GetProperty("code").GetString());
            Assert.Contains(created.Info.Prefix, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        using var models = new HttpRequestMessage(HttpMethod.Get, "v1/models");
        models.Headers.Authorization = new AuthenticationHeaderValue("Bearer", created.Key);
        using var listed = await _gateway.Http.SendAsync(models);
        using var doc = JsonDocument.Parse(await listed.Content.ReadAsStringAsync());
        Assert.Equal(["default"], doc.RootElement.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()));
        Assert.Single(_upstream.Requests);
        var rows = await _gateway.StopAndReadLedgerAsync();
        Assert.Equal([200, 403], rows.Select(r => r.HttpStatus));
        Assert.All(rows, r => Assert.Equal(created.Info.Id, r.KeyId));
    }

    [Fact]
    public async Task TeamsList_BoundsItsKeys()
    {
        var team = await _keys.CreateTeamAsync(new TeamSpec("eu-only") { AllowedModels = ["local"] });
        var created = await _keys.CreateKeyAsync(new KeySpec("member") { Team = team.Id });
        using var refused = await PostAsync(created.Key, "claude");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("team 'eu-only'", (await ErrorOf(refused)).GetProperty("message").GetString(), StringComparison.Ordinal);
        using var ok = await PostAsync(created.Key, "local");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task RevokedDisabledOrExpiredKey_IsRefusedWithinTheCacheTime()
    {
        var created = await _keys.CreateKeyAsync(new KeySpec("short-lived"));
        using (var ok = await PostAsync(created.Key, "local"))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        await _keys.RevokeKeyAsync(created.Info.Id);
        var refusedAfter = await PollUntilAsync(created.Key, HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(1));
        Assert.True(refusedAfter < TimeSpan.FromSeconds(1), $"revocation took {refusedAfter.TotalMilliseconds:0} ms");

        var disabled = await _keys.CreateKeyAsync(new KeySpec("disabled"));
        await _keys.UpdateKeyAsync(disabled.Info.Id, new KeyUpdate { Enabled = false });
        using var off = await PostAsync(disabled.Key, "local");
        Assert.Equal(HttpStatusCode.Unauthorized, off.StatusCode);
        Assert.Contains("disabled", (await ErrorOf(off)).GetProperty("message").GetString(), StringComparison.Ordinal);

        var expiring = await _keys.CreateKeyAsync(new KeySpec("expiring") { ExpiresAt = TimeProvider.System.GetUtcNow().AddMilliseconds(300) });
        await PollUntilAsync(expiring.Key, HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(2));
        using var old = await PostAsync(expiring.Key, "local");
        Assert.Contains("expired", (await ErrorOf(old)).GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeysDataClasses_ReachThePrivacyGuard()
    {
        var created = await _keys.CreateKeyAsync(new KeySpec("clinic") { DataClasses = ["health"] });
        using var response = await PostAsync(created.Key, "local");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var row = Assert.Single(await _gateway.StopAndReadLedgerAsync());
        using var decision = JsonDocument.Parse(row.DecisionJson);
        Assert.Contains("health", decision.RootElement.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public void EveryEndpoint_DeclaresWhoMayCallIt()
    {
        var sources = _gateway.Services.GetRequiredService<IEnumerable<EndpointDataSource>>();
        var endpoints = sources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>().ToList();
        Assert.NotEmpty(endpoints);
        foreach (var endpoint in endpoints)
        {
            var declared = endpoint.Metadata.GetMetadata<RequiresApiKeyAttribute>() is not null
                || endpoint.Metadata.GetMetadata<RequiresMasterKeyAttribute>() is not null
                || endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            Assert.True(declared, $"{endpoint.DisplayName} ({endpoint.RoutePattern.RawText}) does not declare its auth");
        }

        Assert.All(endpoints.Where(e => e.RoutePattern.RawText?.StartsWith("/v1", StringComparison.Ordinal) == true), e => Assert.NotNull(e.Metadata.GetMetadata<RequiresApiKeyAttribute>()));
    }

    [Theory]
    [InlineData("auto", "http://127.0.0.1:4000", "open")]
    [InlineData("auto", "http://localhost:4000", "open")]
    [InlineData("auto", "http://[::1]:4000", "open")]
    [InlineData("auto", "http://127.0.0.1:4000;http://0.0.0.0:4001", "keys")]
    [InlineData("auto", "http://0.0.0.0:4000", "keys")]
    [InlineData("auto", "http://*:4000", "keys")]
    [InlineData("auto", "http://+:4000", "keys")]
    [InlineData("auto", "http://10.1.2.3:4000", "keys")]
    [InlineData("open", "http://0.0.0.0:4000", "open")]
    [InlineData("keys", "http://127.0.0.1:4000", "keys")]
    public void AuthMode_IsKeysWheneverTheGatewayListensBeyondLoopback(string configured, string urls, string expected) =>
        Assert.Equal(expected, GatewayApp.ResolveAuthMode(configured, urls));

    private async Task<TimeSpan> PollUntilAsync(string key, HttpStatusCode status, TimeSpan limit)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            using var response = await PostAsync(key, "local");
            if (response.StatusCode == status || clock.Elapsed > limit)
            {
                Assert.Equal(status, response.StatusCode);
                return clock.Elapsed;
            }

            await Task.Delay(20);
        }
    }

    private async Task<HttpResponseMessage> PostAsync(string key, string model)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = Json(model) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await _gateway.Http.SendAsync(request);
    }

    private static StringContent Json(string model)
    {
        var content = new StringContent($$"""{"model":"{{model}}","messages":[{"role":"user","content":"hello"}]}""");
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static async Task<JsonElement> ErrorOf(HttpResponseMessage response)
    {
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("error").Clone();
    }
}
