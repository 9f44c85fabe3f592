using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Switchyard.Configuration;
using Switchyard.Gateway;
using Switchyard.Storage.Access;
using Switchyard.Testing;
using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Access;

/// <summary>
/// The admin API on the real gateway (SQLite, and PostgreSQL end to end): teams and keys made over HTTP work on /v1,
/// spend shows per budget, revocation reaches /v1 within a second; only the master key opens /admin, and /admin does
/// not exist without one; every error is in OpenAI's envelope.
/// </summary>
public sealed class AdminApiTests : IAsyncLifetime
{
    // The fake upstream reports 11 input (3 cached) and 7 output tokens: at backup's price 8×2.5 + 3×1.25 + 7×10 per M.
    private const decimal ActualUsd = 0.00009375m;

    private FakeUpstream _upstream = null!;

    public async Task InitializeAsync() => _upstream = await FakeUpstream.StartAsync();

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    [Fact]
    public Task Sqlite_TeamAndKeyOverHttp_ServeSpendUpdateAndRevoke() => TeamAndKeyOverHttp_ServeSpendUpdateAndRevoke(null);

    [PostgresFact]
    public async Task Postgres_TeamAndKeyOverHttp_ServeSpendUpdateAndRevoke()
    {
        await using var pg = await PostgresDatabase.CreateAsync();
        await TeamAndKeyOverHttp_ServeSpendUpdateAndRevoke(pg.ConnectionString);
    }

    private async Task TeamAndKeyOverHttp_ServeSpendUpdateAndRevoke(string? postgres)
    {
        await using var gateway = await StartAsync(o =>
        {
            if (postgres is not null)
            {
                o.Storage.Provider = StorageProviders.Postgres;
                o.Storage.ConnectionString = postgres;
            }
        });

        // A team, then a key in it.
        string teamId;
        using (var created = await AdminAsync(gateway, HttpMethod.Post, "admin/teams",
            """{"name":"platform","budgets":[{"period":"monthly","limit_usd":50}],"rpm":600,"metadata":{"owner":"alice"}}"""))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var team = await JsonOf(created);
            teamId = team.GetProperty("id").GetString()!;
            Assert.True(TeamIds.IsTeamId(teamId), teamId);
            Assert.Equal("/admin/teams/" + teamId, created.Headers.Location?.OriginalString);
            Assert.Equal("platform", team.GetProperty("name").GetString());
            Assert.Equal(JsonValueKind.Null, team.GetProperty("models").ValueKind);
            Assert.Equal(600, team.GetProperty("rpm").GetInt32());
            Assert.Equal(JsonValueKind.Null, team.GetProperty("tpm").ValueKind);
            var budget = Assert.Single(team.GetProperty("budgets").EnumerateArray());
            Assert.Equal("monthly", budget.GetProperty("period").GetString());
            Assert.Equal(50m, budget.GetProperty("limit_usd").GetDecimal());
            Assert.Equal("alice", team.GetProperty("metadata").GetProperty("owner").GetString());
        }

        using (var listed = await AdminAsync(gateway, HttpMethod.Get, "admin/teams"))
        {
            Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
            Assert.Equal([teamId], (await JsonOf(listed)).GetProperty("data").EnumerateArray().Select(t => t.GetProperty("id").GetString()));
        }

        using (var byName = await AdminAsync(gateway, HttpMethod.Get, "admin/teams/platform"))
        {
            Assert.Equal(teamId, (await JsonOf(byName)).GetProperty("id").GetString());
        }

        string key, keyId, prefix;
        using (var created = await AdminAsync(gateway, HttpMethod.Post, "admin/keys",
            """{"name":"ci","team":"platform","models":["backup","local"],"budgets":[{"period":"daily","limit_usd":10}],"rpm":60,"tpm":100000,"expires_at":"2999-01-01T00:00:00Z","metadata":{"env":"ci"}}"""))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            Assert.True(created.Headers.CacheControl?.NoStore);
            var body = await JsonOf(created);
            key = body.GetProperty("key").GetString()!;
            keyId = body.GetProperty("id").GetString()!;
            prefix = body.GetProperty("prefix").GetString()!;
            Assert.StartsWith("sk-sy-" + keyId + "_", key, StringComparison.Ordinal);
            Assert.Equal("sk-sy-" + keyId, prefix);
            Assert.Equal("/admin/keys/" + keyId, created.Headers.Location?.OriginalString);
            Assert.Equal(teamId, body.GetProperty("team_id").GetString());
            Assert.Equal("active", body.GetProperty("status").GetString());
            Assert.Equal(["backup", "local"], body.GetProperty("models").EnumerateArray().Select(m => m.GetString()));
            Assert.Equal(0, body.GetProperty("data_classes").GetArrayLength());
            Assert.Equal(60, body.GetProperty("rpm").GetInt32());
            Assert.Equal(100_000, body.GetProperty("tpm").GetInt64());
            Assert.Equal(new DateTimeOffset(2999, 1, 1, 0, 0, 0, TimeSpan.Zero), body.GetProperty("expires_at").GetDateTimeOffset());
            Assert.Equal(JsonValueKind.Null, body.GetProperty("revoked_at").ValueKind);
            Assert.False(body.GetProperty("budget_blocks_free").GetBoolean());
            Assert.Equal("ci", body.GetProperty("metadata").GetProperty("env").GetString());
        }

        // The key works on /v1, and its paid request shows as spend on the key's and the team's budgets.
        using (var served = await ChatAsync(gateway, key, "backup"))
        {
            Assert.True(served.StatusCode == HttpStatusCode.OK, await served.Content.ReadAsStringAsync());
        }

        var shown = await PollKeyAsync(gateway, keyId, k => Usage(k, "key", "daily").GetProperty("spent_usd").GetDecimal() > 0 && Usage(k, "team", "monthly").GetProperty("spent_usd").GetDecimal() > 0);
        Assert.DoesNotContain(key[^ApiKeyFormatSecretLength..], shown.GetRawText(), StringComparison.Ordinal);
        Assert.False(shown.TryGetProperty("key", out _));
        var daily = Usage(shown, "key", "daily");
        Assert.Equal(keyId, daily.GetProperty("scope_id").GetString());
        Assert.Equal(10m, daily.GetProperty("limit_usd").GetDecimal());
        Assert.Equal(ActualUsd, daily.GetProperty("spent_usd").GetDecimal());
        Assert.Equal(0m, daily.GetProperty("reserved_usd").GetDecimal());
        Assert.Equal(10m - ActualUsd, daily.GetProperty("remaining_usd").GetDecimal());
        var start = daily.GetProperty("period_start").GetDateTimeOffset();
        Assert.Equal(TimeSpan.Zero, start.Offset);
        Assert.Equal(TimeSpan.Zero, start.TimeOfDay);
        var monthly = Usage(shown, "team", "monthly");
        Assert.Equal(teamId, monthly.GetProperty("scope_id").GetString());
        Assert.Equal(ActualUsd, monthly.GetProperty("spent_usd").GetDecimal());
        Assert.Equal(1, monthly.GetProperty("period_start").GetDateTimeOffset().Day);

        using (var listed = await AdminAsync(gateway, HttpMethod.Get, "admin/keys?team=platform"))
        {
            var text = await listed.Content.ReadAsStringAsync();
            Assert.DoesNotContain(key, text, StringComparison.Ordinal);
            using var doc = JsonDocument.Parse(text);
            Assert.Equal([keyId], doc.RootElement.GetProperty("data").EnumerateArray().Select(k => k.GetProperty("id").GetString()));
        }

        // PATCH: limits change (null clears), a kept budget period keeps its spend.
        using (var patched = await AdminAsync(gateway, HttpMethod.Patch, "admin/keys/" + keyId,
            """{"rpm":null,"tpm":5000,"models":null,"budgets":[{"period":"daily","limit_usd":20},{"period":"total","limit_usd":100}],"expires_at":null,"name":"ci-2","data_classes":["internal"]}"""))
        {
            Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
            var body = await JsonOf(patched);
            Assert.Equal(JsonValueKind.Null, body.GetProperty("rpm").ValueKind);
            Assert.Equal(5000, body.GetProperty("tpm").GetInt64());
            Assert.Equal(JsonValueKind.Null, body.GetProperty("models").ValueKind);
            Assert.Equal(JsonValueKind.Null, body.GetProperty("expires_at").ValueKind);
            Assert.Equal("ci-2", body.GetProperty("name").GetString());
            Assert.Equal(["daily", "total"], body.GetProperty("budgets").EnumerateArray().Select(b => b.GetProperty("period").GetString()));
            Assert.Equal(["internal"], body.GetProperty("data_classes").EnumerateArray().Select(m => m.GetString()));
        }

        using (var after = await AdminAsync(gateway, HttpMethod.Get, "admin/keys/" + keyId))
        {
            var body = await JsonOf(after);
            Assert.Equal(20m, Usage(body, "key", "daily").GetProperty("limit_usd").GetDecimal());
            Assert.Equal(ActualUsd, Usage(body, "key", "daily").GetProperty("spent_usd").GetDecimal());
            Assert.Equal(0m, Usage(body, "key", "total").GetProperty("spent_usd").GetDecimal());
        }

        using (var patched = await AdminAsync(gateway, HttpMethod.Patch, "admin/teams/" + teamId, """{"tpm":1000000,"models":["backup","local","default"],"rpm":null}"""))
        {
            Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
            var body = await JsonOf(patched);
            Assert.Equal(1_000_000, body.GetProperty("tpm").GetInt64());
            Assert.Equal(JsonValueKind.Null, body.GetProperty("rpm").ValueKind);
            Assert.Equal(3, body.GetProperty("models").GetArrayLength());
            Assert.Equal(50m, Assert.Single(body.GetProperty("budgets").EnumerateArray()).GetProperty("limit_usd").GetDecimal());
        }

        // Revoke: 200 with the key, and /v1 refuses it within a second (Auth:KeyCacheMilliseconds, 500 by default).
        using (var revoked = await AdminAsync(gateway, HttpMethod.Post, $"admin/keys/{keyId}/revoke"))
        {
            Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
            var body = await JsonOf(revoked);
            Assert.Equal("revoked", body.GetProperty("status").GetString());
            Assert.NotEqual(JsonValueKind.Null, body.GetProperty("revoked_at").ValueKind);
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        HttpStatusCode status;
        do
        {
            using var response = await ChatAsync(gateway, key, "local");
            status = response.StatusCode;
            if (status != HttpStatusCode.Unauthorized)
            {
                await Task.Delay(20);
            }
        }
        while (status != HttpStatusCode.Unauthorized && clock.Elapsed < TimeSpan.FromSeconds(2));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"revocation took {clock.Elapsed.TotalMilliseconds:0} ms");

        // Enabling a revoked key is refused by the store's state: 409.
        using (var enable = await AdminAsync(gateway, HttpMethod.Patch, "admin/keys/" + keyId, """{"enabled":true}"""))
        {
            Assert.Equal(HttpStatusCode.Conflict, enable.StatusCode);
            Assert.Equal("conflict", (await ErrorOf(enable)).GetProperty("code").GetString());
        }

        // The global budget: set, then removed with null.
        using (var set = await AdminAsync(gateway, HttpMethod.Put, "admin/budgets/global", """{"period":"monthly","limit_usd":500}"""))
        {
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
            var budget = Assert.Single((await JsonOf(set)).GetProperty("budgets").EnumerateArray());
            Assert.Equal(("monthly", 500m), (budget.GetProperty("period").GetString(), budget.GetProperty("limit_usd").GetDecimal()));
        }

        Assert.Equal(500m, Assert.Single(await gateway.Runtime.Keys!.GetGlobalBudgetsAsync()).LimitUsd);
        using (var removed = await AdminAsync(gateway, HttpMethod.Put, "admin/budgets/global", """{"period":"monthly","limit_usd":null}"""))
        {
            Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
            Assert.Equal(0, (await JsonOf(removed)).GetProperty("budgets").GetArrayLength());
        }

        // The team has no live key left, so it can go.
        using (var deleted = await AdminAsync(gateway, HttpMethod.Delete, "admin/teams/platform"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }
    }

    [Fact]
    public async Task MasterKeyVariableUnset_AdminDoesNotExist()
    {
        await using var gateway = await StartAsync(o => o.Auth.MasterKeyEnv = "SWITCHYARD_TEST_UNSET_MASTER_KEY");
        foreach (var (method, path, key) in new[]
        {
            (HttpMethod.Get, "admin/teams", TestGateway.TestMasterKey),
            (HttpMethod.Post, "admin/keys", TestGateway.TestMasterKey),
            (HttpMethod.Get, "admin/keys/ABCDEFGHJK", (string?)null),
            (HttpMethod.Put, "admin/budgets/global", "anything"),
        })
        {
            using var response = await AdminAsync(gateway, method, path, method == HttpMethod.Get ? null : """{"name":"x"}""", key);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            var error = await ErrorOf(response);
            Assert.Equal("unknown_url", error.GetProperty("code").GetString());
            Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        }

        Assert.Empty(await gateway.Runtime.Keys!.ListTeamsAsync());
    }

    [Fact]
    public async Task MissingWrongOrVirtualKey_Gets401_MasterKeyInEitherHeaderWorks()
    {
        await using var gateway = await StartAsync();
        var virtualKey = await gateway.Runtime.Keys!.CreateKeyAsync(new KeySpec("someone"));
        foreach (var (key, code) in new[]
        {
            ((string?)null, "missing_api_key"),
            ("wrong-master-key", "invalid_api_key"),
            (TestGateway.TestMasterKey[..^1], "invalid_api_key"),
            (virtualKey.Key, "invalid_api_key"),
        })
        {
            using var response = await AdminAsync(gateway, HttpMethod.Post, "admin/teams", """{"name":"intruders"}""", key);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
            var error = await ErrorOf(response);
            Assert.Equal(code, error.GetProperty("code").GetString());
            Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        }

        using (var viaHeader = new HttpRequestMessage(HttpMethod.Get, "admin/keys"))
        {
            viaHeader.Headers.Add("x-api-key", virtualKey.Key);
            using var refused = await gateway.Http.SendAsync(viaHeader);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using (var viaHeader = new HttpRequestMessage(HttpMethod.Get, "admin/keys"))
        {
            viaHeader.Headers.Add("x-api-key", TestGateway.TestMasterKey);
            using var ok = await gateway.Http.SendAsync(viaHeader);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal(1, (await JsonOf(ok)).GetProperty("data").GetArrayLength());
        }

        Assert.Empty(await gateway.Runtime.Keys.ListTeamsAsync());
    }

    [Fact]
    public async Task MasterKey_NeverAuthorizesV1()
    {
        await using var gateway = await StartAsync();
        using (var chat = await ChatAsync(gateway, TestGateway.TestMasterKey, "local"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, chat.StatusCode);
            Assert.Equal("invalid_api_key", (await ErrorOf(chat)).GetProperty("code").GetString());
        }

        using var models = new HttpRequestMessage(HttpMethod.Get, "v1/models");
        models.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestGateway.TestMasterKey);
        using var listed = await gateway.Http.SendAsync(models);
        Assert.Equal(HttpStatusCode.Unauthorized, listed.StatusCode);
        Assert.Empty(_upstream.Requests);
    }

    [Fact]
    public async Task AdminWorks_WhenV1IsOpen()
    {
        await using var gateway = await StartAsync(o => o.Auth.Mode = AuthModes.Open);
        Assert.Null(gateway.Runtime.Keys);
        using var created = await AdminAsync(gateway, HttpMethod.Post, "admin/keys", """{"name":"later"}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.NotNull(gateway.Runtime.Keys);
        Assert.Single(await gateway.Runtime.Keys.ListKeysAsync());
    }

    [Fact]
    public async Task BadInput_Gets400InOpenAIsEnvelope_AndStoresNothing()
    {
        await using var gateway = await StartAsync();
        foreach (var (method, path, json, code) in new[]
        {
            ("POST", "admin/teams", "{not json", "invalid_json"),
            ("POST", "admin/teams", "", "invalid_json"),
            ("POST", "admin/teams", """{"name":"a","name":"b"}""", "invalid_json"),
            ("POST", "admin/teams", """["platform"]""", "invalid_value"),
            ("POST", "admin/teams", "{}", "invalid_value"),
            ("POST", "admin/teams", """{"name":"bad/name"}""", "invalid_value"),
            ("POST", "admin/teams", """{"name":"t","rpm":"ten"}""", "invalid_value"),
            ("POST", "admin/teams", """{"name":"t","rpm":0}""", "invalid_value"),
            ("POST", "admin/teams", """{"name":"t","rpm":1.5}""", "invalid_value"),
            ("POST", "admin/teams", """{"name":"t","tpm":1e40}""", "invalid_value"),
            ("POST", "admin/teams", """{"name":"t","models":[]}""", "invalid_value"),
            ("POST", "admin/teams", """{"name":"t","models":"all"}""", "invalid_value"),
            ("POST", "admin/teams", """{"name":"t","models":[1]}""", "invalid_value"),
            ("POST", "admin/teams", """{"name":"t","budget":[]}""", "invalid_value"),
            ("POST", "admin/teams", """{"name":"t","budgets":[{"period":"weekly","limit_usd":1}]}""", "invalid_value"),
            ("POST", "admin/teams", """{"name":"t","budgets":[{"period":"daily","limit_usd":-1}]}""", "invalid_value"),
            ("POST", "admin/teams", """{"name":"t","budgets":[{"period":"daily","limit_usd":"5"}]}""", "invalid_value"),
            ("POST", "admin/teams", """{"name":"t","budgets":[{"period":"daily"}]}""", "invalid_value"),
            ("POST", "admin/teams", """{"name":"t","budgets":[{"period":"daily","limit_usd":1},{"period":"daily","limit_usd":2}]}""", "invalid_value"),
            ("POST", "admin/teams", """{"name":"t","budgets":[{"period":"daily","limit":1}]}""", "invalid_value"),
            ("POST", "admin/teams", """{"name":"t","metadata":{"n":1}}""", "invalid_value"),
            ("POST", "admin/keys", """{"name":"k","team":"nope"}""", "invalid_value"),
            ("POST", "admin/keys", """{"name":"k","expires_at":"2001-01-01"}""", "invalid_value"),
            ("POST", "admin/keys", """{"name":"k","expires_at":"next tuesday"}""", "invalid_value"),
            ("POST", "admin/keys", """{"name":"k","budget_blocks_free":"yes"}""", "invalid_value"),
            ("POST", "admin/keys", """{"name":""}""", "invalid_value"),
            ("PUT", "admin/budgets/global", """{"period":"monthly"}""", "invalid_value"),
            ("PUT", "admin/budgets/global", """{"period":"yearly","limit_usd":5}""", "invalid_value"),
            ("PUT", "admin/budgets/global", """{"limit_usd":5}""", "invalid_value"),
        })
        {
            var what = $"{method} {path} {json}";
            using var response = await AdminAsync(gateway, new HttpMethod(method), path, json);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{what}: {(int)response.StatusCode}");
            var error = await ErrorOf(response);
            Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
            Assert.True(code == error.GetProperty("code").GetString(), $"{what}: {error.GetRawText()}");
            Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        }

        Assert.Empty(await gateway.Runtime.Keys!.ListTeamsAsync());
        Assert.Empty(await gateway.Runtime.Keys.ListKeysAsync());
        Assert.Empty(await gateway.Runtime.Keys.GetGlobalBudgetsAsync());
    }

    [Fact]
    public async Task BadPatches_Get400_AndChangeNothing()
    {
        await using var gateway = await StartAsync();
        var keys = gateway.Runtime.Keys!;
        var team = await keys.CreateTeamAsync(new TeamSpec("platform"));
        var key = await keys.CreateKeyAsync(new KeySpec("ci") { Team = team.Id, Rpm = 5 });
        foreach (var (path, json) in new[]
        {
            ("admin/keys/" + key.Info.Id, """{"team":"other"}"""),
            ("admin/keys/" + key.Info.Id, """{"enabled":null}"""),
            ("admin/keys/" + key.Info.Id, """{"name":null}"""),
            ("admin/keys/" + key.Info.Id, """{"rpm":-3}"""),
            ("admin/keys/" + key.Info.Id, """{"id":"ABCDEFGHJK"}"""),
            ("admin/keys/" + key.Info.Id, "[]"),
            ("admin/teams/platform", """{"name":"team_ABCDEFGH"}"""),
            ("admin/teams/platform", """{"budgets":[{"period":"daily","limit_usd":1e30}]}"""),
        })
        {
            using var response = await AdminAsync(gateway, HttpMethod.Patch, path, json);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("invalid_request_error", (await ErrorOf(response)).GetProperty("type").GetString());
        }

        Assert.Equal(5, (await keys.GetKeyAsync(key.Info.Id))!.Rpm);
        Assert.Equal("platform", (await keys.GetTeamAsync(team.Id))!.Name);
    }

    [Fact]
    public async Task UnknownIds_Get404_WithoutEchoingASecret()
    {
        await using var gateway = await StartAsync();
        var stranger = Switchyard.Access.ApiKeyFormat.Generate(); // A well-formed key that was never stored.
        foreach (var (method, path, code) in new[]
        {
            (HttpMethod.Get, "admin/keys/ABCDEFGHJK", "key_not_found"),
            (HttpMethod.Get, "admin/keys/sk-sy-ABCDEFGHJK", "key_not_found"),
            (HttpMethod.Get, "admin/keys/" + stranger.Key, "key_not_found"),
            (HttpMethod.Get, "admin/keys/not-a-key-id", "key_not_found"),
            (HttpMethod.Patch, "admin/keys/ABCDEFGHJK", "key_not_found"),
            (HttpMethod.Post, "admin/keys/ABCDEFGHJK/revoke", "key_not_found"),
            (HttpMethod.Get, "admin/keys?team=nope", "team_not_found"),
            (HttpMethod.Get, "admin/teams/nope", "team_not_found"),
            (HttpMethod.Patch, "admin/teams/nope", "team_not_found"),
            (HttpMethod.Delete, "admin/teams/team_ABCDEFGH", "team_not_found"),
        })
        {
            using var response = await AdminAsync(gateway, method, path, method == HttpMethod.Patch ? """{"rpm":5}""" : null);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            var text = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain(stranger.Key[^ApiKeyFormatSecretLength..], text, StringComparison.Ordinal);
            using var doc = JsonDocument.Parse(text);
            Assert.Equal(code, doc.RootElement.GetProperty("error").GetProperty("code").GetString());
        }

        foreach (var (method, path) in new[] { (HttpMethod.Get, "admin/nothing-here"), (HttpMethod.Delete, "admin/keys/ABCDEFGHJK") })
        {
            using var unknownRoute = await AdminAsync(gateway, method, path);
            Assert.Equal(HttpStatusCode.NotFound, unknownRoute.StatusCode);
            Assert.Equal("unknown_url", (await ErrorOf(unknownRoute)).GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task TeamWithLiveKeys_Gets409OnDelete_AndADuplicateName409()
    {
        await using var gateway = await StartAsync();
        using (var created = await AdminAsync(gateway, HttpMethod.Post, "admin/teams", """{"name":"platform"}"""))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using (var duplicate = await AdminAsync(gateway, HttpMethod.Post, "admin/teams", """{"name":"platform"}"""))
        {
            Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
            Assert.Equal("conflict", (await ErrorOf(duplicate)).GetProperty("code").GetString());
        }

        string keyId;
        using (var key = await AdminAsync(gateway, HttpMethod.Post, "admin/keys", """{"name":"member","team":"platform"}"""))
        {
            keyId = (await JsonOf(key)).GetProperty("id").GetString()!;
        }

        using (var refused = await AdminAsync(gateway, HttpMethod.Delete, "admin/teams/platform"))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            var error = await ErrorOf(refused);
            Assert.Equal("conflict", error.GetProperty("code").GetString());
            Assert.Contains("sk-sy-" + keyId, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        using (var disabled = await AdminAsync(gateway, HttpMethod.Patch, "admin/keys/" + keyId.ToLowerInvariant(), """{"enabled":false}"""))
        {
            Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
            Assert.Equal("disabled", (await JsonOf(disabled)).GetProperty("status").GetString());
        }

        using (var deleted = await AdminAsync(gateway, HttpMethod.Delete, "admin/teams/platform"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        using (var gone = await AdminAsync(gateway, HttpMethod.Get, "admin/teams/platform"))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }
    }

    [Fact]
    public async Task EveryAdminEndpoint_NeedsTheMasterKey()
    {
        await using var gateway = await StartAsync();
        var endpoints = gateway.Services.GetRequiredService<IEnumerable<EndpointDataSource>>()
            .SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/admin", StringComparison.Ordinal) == true)
            .ToList();
        Assert.Equal(11, endpoints.Count);
        Assert.All(endpoints, e =>
        {
            Assert.NotNull(e.Metadata.GetMetadata<RequiresMasterKeyAttribute>());
            Assert.Null(e.Metadata.GetMetadata<RequiresApiKeyAttribute>());
            Assert.Null(e.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>());
        });
    }

    private const int ApiKeyFormatSecretLength = Switchyard.Access.ApiKeyFormat.SecretLength;

    private async Task<TestGateway> StartAsync(Action<SwitchyardOptions>? configure = null) =>
        await TestGateway.StartAsync(_upstream, o =>
        {
            o.Auth.Mode = AuthModes.Keys;
            configure?.Invoke(o);
        });

    private static async Task<HttpResponseMessage> AdminAsync(TestGateway gateway, HttpMethod method, string path, string? json = null, string? key = TestGateway.TestMasterKey)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key);
        }

        return await gateway.Http.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> ChatAsync(TestGateway gateway, string key, string model)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = new StringContent($$"""{"model":"{{model}}","messages":[{"role":"user","content":"hello"}],"max_tokens":10}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await gateway.Http.SendAsync(request);
    }

    /// <summary>GETs the key until <paramref name="done"/> holds (the ledger settles spend in batches), for at most 5 s.</summary>
    private static async Task<JsonElement> PollKeyAsync(TestGateway gateway, string keyId, Func<JsonElement, bool> done)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            using var response = await AdminAsync(gateway, HttpMethod.Get, "admin/keys/" + keyId);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await JsonOf(response);
            if (done(body) || clock.Elapsed > TimeSpan.FromSeconds(5))
            {
                Assert.True(done(body), "the key's spend never showed: " + body.GetRawText());
                return body;
            }

            await Task.Delay(25);
        }
    }

    private static JsonElement Usage(JsonElement key, string scope, string period) =>
        key.GetProperty("usage").EnumerateArray().Single(u => u.GetProperty("scope").GetString() == scope && u.GetProperty("period").GetString() == period);

    private static async Task<JsonElement> JsonOf(HttpResponseMessage response)
    {
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.Clone();
    }

    private static async Task<JsonElement> ErrorOf(HttpResponseMessage response) => (await JsonOf(response)).GetProperty("error");
}
